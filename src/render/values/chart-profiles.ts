// The settings Istio's charts apply for `values.profile` and for the platform (their files/profile-<name>.yaml and
// files/profile-platform-<name>.yaml), as Ambit's own data. Upstream ships one file per profile, identical in every
// chart; here each profile is written once with every chart's part under that chart's key: the control plane reads
// meshConfig, global, pilot and experimental; the CNI reads global and cni; ztunnel reads global, meshConfig and
// ztunnel.
import type { Tree } from './tree.ts';
import type { CniChartValues, GlobalValues, MeshConfigValues, PilotValues, ZTunnelChartValues } from './types.ts';
import { UnsupportedProfileError } from './profiles.ts';

export interface ChartProfile {
  meshConfig?: MeshConfigValues;
  global?: GlobalValues;
  pilot?: PilotValues;
  cni?: NonNullable<CniChartValues['cni']>;
  ztunnel?: ZTunnelChartValues;
  experimental?: Tree;
}

const smallRequests = { requests: { cpu: '10m', memory: '40Mi' } };
const otelCollector = 'opentelemetry-collector.observability.svc.cluster.local';

const chartProfileData: Record<string, ChartProfile> = {
  ambient: {
    meshConfig: {
      // Sidecars and gateways speak HBONE to ambient workloads.
      defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } },
      serviceScopeConfigs: [
        {
          servicesSelector: { matchExpressions: [{ key: 'istio.io/global', operator: 'In', values: ['true'] }] },
          scope: 'GLOBAL',
        },
      ],
    },
    global: { variant: 'distroless' },
    pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } },
    cni: { ambient: { enabled: true } },
  },
  demo: {
    meshConfig: {
      accessLogFile: '/dev/stdout',
      extensionProviders: [
        { name: 'otel', envoyOtelAls: { service: otelCollector, port: 4317 } },
        { name: 'skywalking', skywalking: { service: 'tracing.istio-system.svc.cluster.local', port: 11800 } },
        { name: 'otel-tracing', opentelemetry: { port: 4317, service: otelCollector } },
        { name: 'jaeger', opentelemetry: { port: 4317, service: 'jaeger-collector.istio-system.svc.cluster.local' } },
      ],
    },
    global: { proxy: { resources: smallRequests }, waypoint: { resources: smallRequests } },
    pilot: { autoscaleEnabled: false, traceSampling: 100, resources: { requests: { cpu: '10m', memory: '100Mi' } } },
    cni: { resources: smallRequests },
    ztunnel: { resources: smallRequests },
  },
  preview: {
    // The proxy answers DNS for hosts the mesh knows.
    meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } },
  },
  stable: { experimental: { stableValidationPolicy: true } },
};
const chartProfiles = new Map(Object.entries(chartProfileData));

// `default` and `empty` have no chart-level file: they select nothing beyond the charts' defaults.
const noChartProfile = new Set(['default', 'empty']);

const platformProfileData: Record<string, ChartProfile> = {
  openshift: {
    // Multus runs the CNI plugins on OpenShift, from its own directories and unchained.
    cni: {
      cniBinDir: '/var/lib/cni/bin',
      cniConfDir: '/etc/cni/multus/net.d',
      chained: false,
      cniConfFileName: 'istio-cni.conf',
      provider: 'multus',
      seLinuxOptions: { type: 'spc_t' },
    },
    pilot: {
      cni: { enabled: true, provider: 'multus' },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      // OpenShift only admits privileged pods in kube-system; users with a ztunnel namespace of their own set this.
      trustedZtunnelNamespace: 'kube-system',
    },
    ztunnel: { seLinuxOptions: { type: 'spc_t' } },
  },
  // Upstream finds GKE's bin directory from the server version; the platform name says it here.
  gke: {
    cni: { cniBinDir: '/home/kubernetes/bin', resourceQuotas: { enabled: true } },
    ztunnel: { resourceQuotas: { enabled: true } },
  },
  k3d: { cni: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/bin' } },
  k3s: { cni: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/var/lib/rancher/k3s/data/cni' } },
  microk8s: {
    cni: {
      cniConfDir: '/var/snap/microk8s/current/args/cni-network',
      cniBinDir: '/var/snap/microk8s/current/opt/cni/bin',
    },
  },
  minikube: { cni: { cniNetnsDir: '/var/run/docker/netns' } },
};
const platformProfiles = new Map(Object.entries(platformProfileData));

/**
 * The chart-level layers for a profile and a platform, in the charts' order (profile, then platform). Throws
 * UnsupportedProfileError for names no chart knows, as the charts fail on them.
 */
export function chartLayers(profile: string | undefined, platform: string | undefined): ChartProfile[] {
  const layers: ChartProfile[] = [];
  if (profile && !noChartProfile.has(profile)) {
    const found = chartProfiles.get(profile);
    if (!found) {
      throw new UnsupportedProfileError('spec.values.profile', profile, [...noChartProfile, ...chartProfiles.keys()]);
    }
    layers.push(found);
  }
  if (platform && platform !== 'kubernetes') {
    const found = platformProfiles.get(platform);
    if (!found) {
      throw new UnsupportedProfileError(
        'spec.values.global.platform',
        platform,
        [...platformProfiles.keys()],
        'platform',
      );
    }
    layers.push(found);
  }
  return layers;
}
