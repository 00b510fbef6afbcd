// The ztunnel DaemonSet: Istio's node proxy on every node, pointed at the control plane for certificates (CA) and
// configuration (xDS). It enters enrolled pods' network namespaces through the socket istio-cni hands it, which is
// why it runs as root with network and namespace capabilities.
import type { KubeObject } from '../kube/objects.ts';
import type { RenderContext } from './context.ts';
import { compact, istioLabels, listOf, nonEmpty, nonEmptyMap, objectMeta } from './context.ts';
import { envField, envFromMap, envResource, envValue, joinEnv } from './env.ts';
import type { EnvVar } from './env.ts';
import { imageReference } from './images.ts';
import { valueAt } from './values/tree.ts';
import type { ZTunnelChartValues } from './values/types.ts';

export interface ZTunnelMeta {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string> | undefined;
}

/** Where ztunnel finds the control plane: its Service in the control plane's namespace, port 15012 (TLS xDS/CA). */
export function controlPlaneAddress(values: ZTunnelChartValues): string {
  const service = values.revision ? `istiod-${values.revision}` : 'istiod';
  return `${service}.${values.istioNamespace ?? 'istio-system'}.svc:15012`;
}

function ztunnelEnv(values: ZTunnelChartValues): EnvVar[] {
  const address = controlPlaneAddress(values);
  const cpu = (kind: 'limits' | 'requests') => valueAt(values.resources, kind, 'cpu') !== undefined;
  return joinEnv(
    [
      envValue('CA_ADDRESS', values.caAddress || address),
      envValue('XDS_ADDRESS', values.xdsAddress || address),
      ...(values.logAsJson === true ? [envValue('LOG_FORMAT', 'json')] : []),
      ...(values.network ? [envValue('NETWORK', values.network)] : []),
      envValue('RUST_LOG', values.logLevel ?? 'info'),
      envValue('RUST_BACKTRACE', '1'),
      envValue('ISTIO_META_CLUSTER_ID', text(valueAt(values.multiCluster, 'clusterName')) || 'Kubernetes'),
      envValue('INPOD_ENABLED', 'true'),
      envValue('TERMINATION_GRACE_PERIOD_SECONDS', String(values.terminationGracePeriodSeconds ?? 30)),
      envField('POD_NAME', 'metadata.name'),
      envField('POD_NAMESPACE', 'metadata.namespace'),
      envField('NODE_NAME', 'spec.nodeName'),
      envField('INSTANCE_IP', 'status.podIP'),
      envField('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    ],
    // The ambient profile's ISTIO_META_ENABLE_HBONE arrives here.
    envFromMap(values.meshConfig?.defaultConfig?.proxyMetadata),
    [
      // Worker threads follow the CPU limit (the node's CPUs when there is none).
      envResource('ZTUNNEL_CPU_LIMIT', 'limits.cpu'),
      ...(cpu('limits') ? [envResource('ZTUNNEL_RESOURCE_CPU_LIMIT', 'limits.cpu')] : []),
      ...(cpu('requests') ? [envResource('ZTUNNEL_RESOURCE_CPU_REQUEST', 'requests.cpu')] : []),
    ],
    envFromMap(values.env),
    values.peerCaCrl?.enabled === true ? [envValue('CRL_PATH', '/var/run/secrets/istio/crl/ca-crl.pem')] : [],
  );
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function volumes(values: ZTunnelChartValues) {
  const crl = values.peerCaCrl?.enabled === true;
  const mounts = [
    { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
    { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
    { mountPath: '/var/run/ztunnel', name: 'cni-ztunnel-sock-dir' },
    { mountPath: '/tmp', name: 'tmp' },
    ...(crl ? [{ mountPath: '/var/run/secrets/istio/crl', name: 'crl-volume', readOnly: true }] : []),
    ...listOf(values.volumeMounts),
  ];
  const vols = [
    {
      name: 'istio-token',
      projected: {
        sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' } }],
      },
    },
    { name: 'istiod-ca-cert', configMap: { name: text(valueAt(values, 'trustBundleName')) || 'istio-ca-root-cert' } },
    // istio-cni creates the socket; the directory may not exist before it starts.
    { name: 'cni-ztunnel-sock-dir', hostPath: { path: '/var/run/ztunnel', type: 'DirectoryOrCreate' } },
    // A writable /tmp (for profiling) beside the read-only root filesystem.
    { name: 'tmp', emptyDir: {} },
    ...(crl ? [{ name: 'crl-volume', configMap: { name: 'istio-ca-crl', optional: true } }] : []),
    ...listOf(values.volumes),
  ];
  return { mounts, vols };
}

export function ztunnelDaemonSet(
  ctx: RenderContext,
  namespace: string,
  meta: ZTunnelMeta,
  values: ZTunnelChartValues,
): KubeObject {
  const { mounts, vols } = volumes(values);
  const container = compact({
    name: 'istio-proxy',
    image: imageReference({
      hub: values.hub ?? '',
      image: values.image || 'ztunnel',
      tag: values.tag || ctx.version.version,
      variant: values.variant,
    }),
    ports: [{ containerPort: 15020, name: 'ztunnel-stats', protocol: 'TCP' }],
    resources: values.resources,
    imagePullPolicy: values.imagePullPolicy || undefined,
    securityContext: compact({
      allowPrivilegeEscalation: true,
      privileged: false,
      capabilities: {
        drop: ['ALL'],
        // TPROXY and socket options (NET_ADMIN), entering pods' network namespaces (SYS_ADMIN), raw sockets (NET_RAW).
        add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'],
      },
      readOnlyRootFilesystem: true,
      runAsGroup: 1337,
      runAsNonRoot: false,
      runAsUser: 0,
      seLinuxOptions: nonEmptyMap(values.seLinuxOptions),
    }),
    readinessProbe: { httpGet: { port: 15021, path: '/healthz/ready' } },
    args: ['proxy', 'ztunnel'],
    env: ztunnelEnv(values),
    volumeMounts: mounts,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: objectMeta(ctx, { name: meta.name, namespace, labels: meta.labels, annotations: meta.annotations }),
    spec: compact({
      updateStrategy: nonEmptyMap(values.updateStrategy),
      selector: { matchLabels: { app: 'ztunnel' } },
      template: {
        metadata: {
          labels: {
            ...values.podLabels,
            'sidecar.istio.io/inject': 'false',
            'istio.io/dataplane-mode': 'none',
            app: 'ztunnel',
            'app.kubernetes.io/name': 'ztunnel',
            ...istioLabels(ctx),
          },
          annotations: {
            'sidecar.istio.io/inject': 'false',
            ...(values.revision ? { 'istio.io/rev': values.revision } : {}),
            ...values.podAnnotations,
          },
        },
        spec: compact({
          nodeSelector: { 'kubernetes.io/os': 'linux', ...values.nodeSelector },
          affinity: nonEmptyMap(values.affinity),
          serviceAccountName: meta.name,
          tolerations: nonEmpty(values.tolerations),
          dnsPolicy: values.dnsPolicy,
          dnsConfig: nonEmptyMap(values.dnsConfig),
          containers: [container],
          priorityClassName: 'system-node-critical',
          // ztunnel drains its connections for this long less a second.
          terminationGracePeriodSeconds: values.terminationGracePeriodSeconds,
          volumes: vols,
        }),
      },
    }),
  };
}
