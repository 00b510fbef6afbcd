// The istio-cni-node DaemonSet: Istio's install-cni agent on every node. It installs the CNI plugin into the host's
// CNI directories and, in ambient mode, redirects enrolled pods' traffic to ztunnel from inside their network
// namespaces, which is why it runs as root with network and namespace capabilities.
import type { KubeObject } from '../kube/objects.ts';
import type { RenderContext } from './context.ts';
import { compact, istioLabels, nonEmpty, nonEmptyMap, objectMeta } from './context.ts';
import { envField, envFromMap, envResource, envValue, joinEnv } from './env.ts';
import { imageReference } from './images.ts';
import { valueAt } from './values/tree.ts';
import type { CniChartValues } from './values/types.ts';

export const cniConfigMapName = 'istio-cni-config';
export const cniDaemonSetName = 'istio-cni-node';

type CniConfig = NonNullable<CniChartValues['cni']>;

function hostPath(name: string, path: string | undefined, type?: string) {
  return { name, hostPath: compact({ path, type }) };
}

function volumes(cni: CniConfig, ambient: boolean, procfs: boolean) {
  const mounts = [
    { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
    ...(procfs ? [{ mountPath: '/host/proc', name: 'cni-host-procfs', readOnly: true }] : []),
    { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
    { mountPath: '/var/run/istio-cni', name: 'cni-socket-dir' },
    ...(ambient
      ? [
          { mountPath: '/host/var/run/netns', mountPropagation: 'HostToContainer', name: 'cni-netns-dir' },
          { mountPath: '/var/run/ztunnel', name: 'cni-ztunnel-sock-dir' },
        ]
      : []),
  ];
  const vols = [
    hostPath('cni-bin-dir', cni.cniBinDir),
    ...(procfs ? [hostPath('cni-host-procfs', '/proc', 'Directory')] : []),
    ...(ambient ? [hostPath('cni-ztunnel-sock-dir', '/var/run/ztunnel', 'DirectoryOrCreate')] : []),
    hostPath('cni-net-dir', cni.cniConfDir),
    // Sockets for the plugin's logs and ambient pod events.
    hostPath('cni-socket-dir', '/var/run/istio-cni'),
    // Created if absent: the runtime may mount it only once the first pod-network pod lands on the node.
    hostPath('cni-netns-dir', cni.cniNetnsDir, 'DirectoryOrCreate'),
  ];
  return { mounts, vols };
}

function securityContext(cni: CniConfig) {
  return compact({
    appArmorProfile: cni.useAppArmorAnnotation === true ? undefined : { type: 'Unconfined' },
    privileged: false,
    runAsGroup: 0,
    runAsUser: 0,
    runAsNonRoot: false,
    capabilities: {
      drop: ['ALL'],
      // iptables and routes (NET_ADMIN, NET_RAW), entering pods' network namespaces (SYS_PTRACE, SYS_ADMIN), and
      // writing host directories owned by others (DAC_OVERRIDE).
      add: ['NET_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_ADMIN', 'DAC_OVERRIDE'],
    },
    // SELinux needs the super-privileged type to reach the host paths; the user's options win.
    seLinuxOptions: nonEmpty(cni.seLinuxOptions) && { type: 'spc_t', ...cni.seLinuxOptions },
    seccompProfile: nonEmptyMap(cni.seccompProfile),
  });
}

export function cniDaemonSet(ctx: RenderContext, namespace: string, values: CniChartValues): KubeObject {
  const cni: CniConfig = values.cni ?? {};
  const global = values.global ?? {};
  const ambient = cni.ambient?.enabled === true;
  const hostNetwork = ambient && cni.ambient?.shareHostNetworkNamespace === true;
  const procfs = ambient || valueAt(cni.repair, 'repairPods') === true;
  const { mounts, vols } = volumes(cni, ambient, procfs);
  const logLevel = cni.logging?.level || global.logging?.level;
  const image = imageReference({
    hub: cni.hub || global.hub || '',
    image: cni.image || 'install-cni',
    tag: cni.tag || global.tag || ctx.version.version,
    variant: cni.variant || global.variant,
  });
  const env = joinEnv(
    [
      envField('REPAIR_NODE_NAME', 'spec.nodeName'),
      envValue('REPAIR_RUN_AS_DAEMON', 'true'),
      envValue('REPAIR_SIDECAR_ANNOTATION', 'sidecar.istio.io/status'),
      ...(hostNetwork ? [] : [envValue('ALLOW_SWITCH_TO_HOST_NS', 'true')]),
      envField('NODE_NAME', 'spec.nodeName'),
      envResource('GOMEMLIMIT', 'limits.memory'),
      envField('POD_NAME', 'metadata.name'),
      envField('POD_NAMESPACE', 'metadata.namespace'),
    ],
    envFromMap(cni.env),
  );
  const container = compact({
    name: 'install-cni',
    image,
    imagePullPolicy: cni.pullPolicy || global.imagePullPolicy || undefined,
    ports: [{ containerPort: 15014, name: 'metrics', protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/readyz', port: 8000 } },
    securityContext: securityContext(cni),
    command: ['install-cni'],
    args: [...(logLevel ? [`--log_output_level=${logLevel}`] : []), ...(global.logAsJson ? ['--log_as_json'] : [])],
    envFrom: [{ configMapRef: { name: cniConfigMapName } }],
    env,
    volumeMounts: mounts,
    resources: cni.resources ?? global.defaultResources,
  });
  const podAnnotations = {
    'sidecar.istio.io/inject': 'false',
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '15014',
    'prometheus.io/path': '/metrics',
    ...(cni.useAppArmorAnnotation === true
      ? { 'container.apparmor.security.beta.kubernetes.io/install-cni': 'unconfined' }
      : {}),
    ...cni.podAnnotations,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: objectMeta(ctx, {
      name: cniDaemonSetName,
      namespace,
      labels: { 'k8s-app': cniDaemonSetName, 'app.kubernetes.io/name': 'istio-cni', ...cni.daemonSetLabels },
    }),
    spec: {
      selector: { matchLabels: { 'k8s-app': cniDaemonSetName } },
      updateStrategy: nonEmpty(cni.updateStrategy) ?? {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: cni.rollingMaxUnavailable ?? 1 },
      },
      template: {
        metadata: {
          labels: {
            ...cni.podLabels,
            'k8s-app': cniDaemonSetName,
            'sidecar.istio.io/inject': 'false',
            'istio.io/dataplane-mode': 'none',
            'app.kubernetes.io/name': 'istio-cni',
            ...istioLabels(ctx),
          },
          annotations: podAnnotations,
        },
        spec: compact({
          hostNetwork: hostNetwork || undefined,
          dnsPolicy: hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          affinity: nonEmptyMap(cni.affinity),
          tolerations: nonEmpty(cni.tolerations),
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'istio-cni',
          // Time for the plugin's cleanup on the node before the next agent takes over.
          terminationGracePeriodSeconds: cni.terminationGracePeriodSeconds,
          containers: [container],
          volumes: vols,
        }),
      },
    },
  };
}
