// The charts' own defaults (their values.yaml), as far as Ambit's renderers read them. Images default to the Istio
// release registry and the version being installed, as released charts do.
import type { Values } from '../../api/values.ts';
import type { CniChartValues, ZTunnelChartValues } from './types.ts';

export const defaultHub = 'docker.io/istio';

// Schedule on every node whatever its taints: a node without CNI or ztunnel breaks its ambient pods.
const everyNode = [
  { effect: 'NoSchedule', operator: 'Exists' },
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { effect: 'NoExecute', operator: 'Exists' },
] as const;

/**
 * The control plane's defaults. Two differ from the istiod chart on purpose: Ambit renders no
 * HorizontalPodAutoscaler, so autoscaling is off unless asked for (and then an autoscaler of the user's owns the
 * replica count); and the requests fit a Node.js control plane (100m, 256Mi) rather than istiod's 500m and 2Gi.
 */
export function controlPlaneDefaults(tag: string): Values {
  return {
    global: {
      hub: defaultHub,
      tag,
      istioNamespace: 'istio-system',
      logging: { level: 'default:info' },
      defaultPodDisruptionBudget: { enabled: true },
    },
    pilot: {
      autoscaleEnabled: false,
      autoscaleMin: 1,
      replicaCount: 1,
      rollingMaxSurge: '100%',
      rollingMaxUnavailable: '25%',
      resources: { requests: { cpu: '100m', memory: '256Mi' } },
    },
  };
}

export function cniDefaults(tag: string): CniChartValues {
  return {
    global: {
      hub: defaultHub,
      tag,
      logging: { level: 'info' },
      logAsJson: false,
      nativeNftables: false,
      defaultResources: { requests: { cpu: '100m', memory: '100Mi' } },
    },
    cni: {
      image: 'install-cni',
      cniBinDir: '/opt/cni/bin',
      cniConfDir: '/etc/cni/net.d',
      cniNetnsDir: '/var/run/netns',
      excludeNamespaces: ['kube-system'],
      chained: true,
      provider: 'default',
      istioOwnedCNIConfig: false,
      ambient: {
        enabled: false,
        enablementSelectors: [
          { podSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } } },
          {
            podSelector: {
              matchExpressions: [{ key: 'istio.io/dataplane-mode', operator: 'NotIn', values: ['none'] }],
            },
            namespaceSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } },
          },
        ],
        dnsCapture: true,
        ipv6: true,
        reconcileIptablesOnStartup: true,
        shareHostNetworkNamespace: false,
        enableAmbientDetectionRetry: false,
      },
      repair: {
        enabled: true,
        labelPods: false,
        deletePods: false,
        repairPods: true,
        initContainerName: 'istio-validation',
        brokenPodLabelKey: 'cni.istio.io/uninitialized',
        brokenPodLabelValue: 'true',
      },
      // Kubernetes before 1.30 has no appArmorProfile field; the annotation works everywhere.
      useAppArmorAnnotation: true,
      resources: { requests: { cpu: '100m', memory: '100Mi' } },
      resourceQuotas: { enabled: false, pods: 5000 },
      tolerations: [...everyNode],
      rollingMaxUnavailable: 1,
      terminationGracePeriodSeconds: 30,
    },
  };
}

export function ztunnelDefaults(tag: string): ZTunnelChartValues {
  return {
    hub: defaultHub,
    tag,
    image: 'ztunnel',
    resourceName: 'ztunnel',
    tolerations: [...everyNode],
    podAnnotations: { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
    resources: { requests: { cpu: '200m', memory: '512Mi' } },
    resourceQuotas: { enabled: false, pods: 5000 },
    terminationGracePeriodSeconds: 30,
    istioNamespace: 'istio-system',
    revision: '',
    logLevel: 'info',
    logAsJson: false,
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  };
}
