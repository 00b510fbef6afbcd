// Command lines of the five cluster components. Pure: every address is 127.0.0.1, admission webhooks are off, and no
// component writes outside the run folder (see cluster-verified.md §3 for why each flag is there).

export interface ClusterLayout {
  binDir: string;
  runDir: string;
  pkiDir: string;
  etcdDataDir: string;
  kubeconfig: string;
  ports: {
    etcdClient: number;
    etcdPeer: number;
    apiserver: number;
    controllerManager: number;
    scheduler: number;
    kwok: number;
  };
}

export interface ComponentCommand {
  name: 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
  binary: string;
  args: string[];
}

export const serviceClusterIpRange = '10.96.0.0/16';
export const podCidr = '10.244.0.0/16';

export function etcdCommand(l: ClusterLayout): ComponentCommand {
  const client = `http://127.0.0.1:${l.ports.etcdClient}`;
  const peer = `http://127.0.0.1:${l.ports.etcdPeer}`;
  return {
    name: 'etcd',
    binary: `${l.binDir}/etcd`,
    args: [
      '--name=node0',
      `--data-dir=${l.etcdDataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=node0=${peer}`,
      '--unsafe-no-fsync=true',
      '--auto-compaction-retention=1',
      '--quota-backend-bytes=2147483648',
      '--log-level=warn',
    ],
  };
}

export function apiserverCommand(l: ClusterLayout): ComponentCommand {
  const pki = l.pkiDir;
  return {
    name: 'kube-apiserver',
    binary: `${l.binDir}/kube-apiserver`,
    args: [
      `--etcd-servers=http://127.0.0.1:${l.ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${l.ports.apiserver}`,
      '--advertise-address=127.0.0.1',
      // A loopback advertise address is refused by the endpoint reconciler; the `kubernetes` Service gets no endpoints.
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${pki}/apiserver.crt`,
      `--tls-private-key-file=${pki}/apiserver.key`,
      `--client-ca-file=${pki}/ca.crt`,
      `--token-auth-file=${pki}/tokens.csv`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki}/sa.pub`,
      `--service-account-signing-key-file=${pki}/sa.key`,
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      '--authorization-mode=RBAC',
      // Network rule: the API server must never call out to a webhook at a Service or Pod address.
      '--disable-admission-plugins=ValidatingAdmissionWebhook,MutatingAdmissionWebhook',
      '--allow-privileged=true',
      '--kubelet-preferred-address-types=InternalIP',
      `--audit-policy-file=${l.runDir}/audit-policy.yaml`,
      `--audit-log-path=${l.runDir}/logs/audit.log`,
      '--audit-log-format=json',
    ],
  };
}

function componentAuthArgs(l: ClusterLayout, port: number): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--authentication-kubeconfig=${l.kubeconfig}`,
    `--authorization-kubeconfig=${l.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    '--leader-elect=false',
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
  ];
}

export function controllerManagerCommand(l: ClusterLayout): ComponentCommand {
  return {
    name: 'kube-controller-manager',
    binary: `${l.binDir}/kube-controller-manager`,
    args: [
      ...componentAuthArgs(l, l.ports.controllerManager),
      `--service-account-private-key-file=${l.pkiDir}/sa.key`,
      `--root-ca-file=${l.pkiDir}/ca.crt`,
      `--cluster-signing-cert-file=${l.pkiDir}/ca.crt`,
      `--cluster-signing-key-file=${l.pkiDir}/ca.key`,
      // Without it the controller-manager creates /usr/libexec/kubernetes/... on the host.
      `--flex-volume-plugin-dir=${l.runDir}/flexvolume`,
    ],
  };
}

export function schedulerCommand(l: ClusterLayout): ComponentCommand {
  return {
    name: 'kube-scheduler',
    binary: `${l.binDir}/kube-scheduler`,
    args: componentAuthArgs(l, l.ports.scheduler),
  };
}

export function kwokCommand(l: ClusterLayout): ComponentCommand {
  return {
    name: 'kwok',
    binary: `${l.binDir}/kwok`,
    args: [
      `--kubeconfig=${l.kubeconfig}`,
      `--config=${l.binDir}/kwok-stages.yaml`,
      '--manage-all-nodes=true',
      '--node-ip=127.0.0.1',
      `--node-port=${l.ports.kwok}`,
      // Without --server-address kwok's fake kubelet listens on 0.0.0.0.
      `--server-address=127.0.0.1:${l.ports.kwok}`,
      // Without --node-name a re-initialised node loses its status.addresses.
      '--node-name=localhost',
      `--cidr=${podCidr}`,
      '--node-lease-duration-seconds=40',
    ],
  };
}

/** Counts every mutating request by user agent, so a controller's own API writes can be measured. */
export const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  verbs: [create, update, patch, delete, deletecollection]
- level: None
`;

export function fakeNode(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
    },
    spec: { providerID: `kwok://${name}` },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '1000' },
      capacity: { cpu: '32', memory: '256Gi', pods: '1000' },
    },
  };
}
