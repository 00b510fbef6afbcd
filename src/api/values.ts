// Istio's Helm-style values, typed where Ambit interprets them. Every level is a looseObject: fields we do not type
// are kept as written (x-kubernetes-preserve-unknown-fields), so real users' values are never refused as unknown.
import { z } from 'zod';
import { FreeForm, IntOrString, LabelSelector, ResourceRequirements, StringMap, Toleration } from './kube-types.ts';

const PullPolicy = z.enum(['Always', 'Never', 'IfNotPresent']);
const Namespace = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
const Logging = z.looseObject({ level: z.string().optional() });

/** Image fields shared by every component. */
const imageFields = {
  hub: z.string().optional(),
  tag: z.string().optional(),
  variant: z.string().optional(),
  image: z.string().optional(),
};

export const GlobalConfig = z.looseObject({
  hub: z.string().optional().meta({ description: 'Default registry for Istio images, e.g. docker.io/istio.' }),
  tag: z.string().optional().meta({ description: 'Default tag for Istio images.' }),
  variant: z.string().optional().meta({ description: 'Image variant, e.g. distroless or debug.' }),
  imagePullPolicy: PullPolicy.optional(),
  imagePullSecrets: z.array(z.string()).optional(),
  istioNamespace: Namespace.optional().meta({ description: 'The namespace of the control plane.' }),
  network: z.string().optional().meta({ description: 'The network this cluster is on (multi-network meshes).' }),
  meshID: z.string().optional(),
  logAsJson: z.boolean().optional(),
  logging: Logging.optional(),
  platform: z.string().optional().meta({ description: 'Platform-specific defaults, e.g. openshift.' }),
  priorityClassName: z.string().optional(),
  defaultNodeSelector: StringMap.optional(),
  defaultTolerations: z.array(Toleration).optional(),
  defaultResources: ResourceRequirements.optional(),
  multiCluster: z.looseObject({ enabled: z.boolean().optional(), clusterName: z.string().optional() }).optional(),
  trustBundleName: z.string().optional(),
  nativeNftables: z.boolean().optional(),
  proxy: FreeForm.optional(),
  waypoint: FreeForm.optional(),
});

export const PilotConfig = z.looseObject({
  enabled: z.boolean().optional(),
  ...imageFields,
  env: StringMap.optional().meta({ description: 'Environment variables for the control plane container.' }),
  resources: ResourceRequirements.optional(),
  replicaCount: z.int().min(0).optional(),
  autoscaleEnabled: z.boolean().optional(),
  autoscaleMin: z.int().min(0).optional(),
  autoscaleMax: z.int().min(0).optional(),
  nodeSelector: StringMap.optional(),
  tolerations: z.array(Toleration).optional(),
  affinity: FreeForm.optional(),
  podLabels: StringMap.optional(),
  podAnnotations: StringMap.optional(),
  deploymentLabels: StringMap.optional(),
  serviceAnnotations: StringMap.optional(),
  serviceAccountAnnotations: StringMap.optional(),
  rollingMaxSurge: IntOrString.optional(),
  rollingMaxUnavailable: IntOrString.optional(),
  traceSampling: z.number().optional(),
  extraContainerArgs: z.array(z.string()).optional(),
  keepaliveMaxServerConnectionAge: z.string().optional(),
  cni: z.looseObject({ enabled: z.boolean().optional(), provider: z.string().optional() }).optional(),
  trustedZtunnelNamespace: Namespace.optional().meta({
    description: 'The namespace of the ztunnel the control plane trusts to ask for certificates on behalf of pods.',
  }),
  trustedZtunnelName: z.string().optional(),
});

export const MeshConfig = z.looseObject({
  discoverySelectors: z.array(LabelSelector).optional().meta({
    description:
      'Namespaces the control plane watches: those matching any selector. When omitted, all namespaces are processed.',
  }),
  trustDomain: z.string().optional(),
  trustDomainAliases: z.array(z.string()).optional(),
  rootNamespace: z.string().optional(),
  defaultConfig: z.looseObject({ proxyMetadata: StringMap.optional() }).optional(),
  accessLogFile: z.string().optional(),
  accessLogEncoding: z.enum(['TEXT', 'JSON']).optional(),
  accessLogFormat: z.string().optional(),
  enableTracing: z.boolean().optional(),
  outboundTrafficPolicy: z.looseObject({ mode: z.enum(['REGISTRY_ONLY', 'ALLOW_ANY']).optional() }).optional(),
  serviceScopeConfigs: z
    .array(z.looseObject({ servicesSelector: LabelSelector.optional(), scope: z.enum(['LOCAL', 'GLOBAL']).optional() }))
    .optional(),
  extensionProviders: z.array(FreeForm).optional(),
  defaultProviders: FreeForm.optional(),
});

/** Values of the Istio and IstioRevision kinds (the istiod chart's values). */
export const Values = z.looseObject({
  global: GlobalConfig.optional(),
  pilot: PilotConfig.optional(),
  meshConfig: MeshConfig.optional(),
  revision: z.string().optional().meta({ description: 'The revision the control plane is installed as.' }),
  profile: z.string().optional(),
  defaultRevision: z.string().optional(),
  compatibilityVersion: z.string().optional(),
  base: FreeForm.optional(),
  telemetry: FreeForm.optional(),
  sidecarInjectorWebhook: FreeForm.optional(),
  istiodRemote: FreeForm.optional(),
  experimental: FreeForm.optional(),
  gatewayClasses: FreeForm.optional(),
});
export type Values = z.infer<typeof Values>;

const CNIAmbientConfig = z.looseObject({
  enabled: z.boolean().optional(),
  configDir: z.string().optional(),
  dnsCapture: z.boolean().optional(),
  ipv6: z.boolean().optional(),
  reconcileIptablesOnStartup: z.boolean().optional(),
  shareHostNetworkNamespace: z.boolean().optional(),
  enableAmbientDetectionRetry: z.boolean().optional(),
  enablementSelectors: z
    .array(z.looseObject({ podSelector: LabelSelector.optional(), namespaceSelector: LabelSelector.optional() }))
    .optional(),
});

export const CNIConfig = z.looseObject({
  ...imageFields,
  pullPolicy: PullPolicy.optional(),
  cniBinDir: z.string().optional(),
  cniConfDir: z.string().optional(),
  cniConfFileName: z.string().optional(),
  cniNetnsDir: z.string().optional(),
  excludeNamespaces: z.array(z.string()).optional(),
  env: StringMap.optional(),
  resources: ResourceRequirements.optional(),
  privileged: z.boolean().optional(),
  provider: z.string().optional(),
  chained: z.boolean().optional(),
  logging: Logging.optional(),
  podLabels: StringMap.optional(),
  podAnnotations: StringMap.optional(),
  daemonSetLabels: StringMap.optional(),
  affinity: FreeForm.optional(),
  seccompProfile: FreeForm.optional(),
  rollingMaxUnavailable: IntOrString.optional(),
  repair: FreeForm.optional(),
  ambient: CNIAmbientConfig.optional(),
});

const ComponentGlobalConfig = z.looseObject({
  hub: z.string().optional(),
  tag: z.string().optional(),
  variant: z.string().optional(),
  imagePullPolicy: PullPolicy.optional(),
  imagePullSecrets: z.array(z.string()).optional(),
  logAsJson: z.boolean().optional(),
  logging: Logging.optional(),
  platform: z.string().optional(),
  defaultResources: ResourceRequirements.optional(),
});

export const CNIValues = z.looseObject({
  cni: CNIConfig.optional(),
  global: ComponentGlobalConfig.extend({ nativeNftables: z.boolean().optional() }).optional(),
});
export type CNIValues = z.infer<typeof CNIValues>;

export const ZTunnelConfig = z.looseObject({
  ...imageFields,
  imagePullPolicy: PullPolicy.optional(),
  imagePullSecrets: z.array(z.string()).optional(),
  network: z.string().optional(),
  resourceName: z.string().optional(),
  annotations: StringMap.optional(),
  labels: StringMap.optional(),
  podAnnotations: StringMap.optional(),
  podLabels: StringMap.optional(),
  resources: ResourceRequirements.optional(),
  nodeSelector: StringMap.optional(),
  tolerations: z.array(Toleration).optional(),
  affinity: FreeForm.optional(),
  env: StringMap.optional(),
  terminationGracePeriodSeconds: z.int().min(0).optional(),
  revision: z.string().optional(),
  caAddress: z.string().optional(),
  xdsAddress: z.string().optional(),
  istioNamespace: Namespace.optional(),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).optional(),
  logAsJson: z.boolean().optional(),
  multiCluster: FreeForm.optional(),
  volumes: z.array(FreeForm).optional(),
  volumeMounts: z.array(FreeForm).optional(),
  updateStrategy: FreeForm.optional(),
  dnsPolicy: z.enum(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']).optional(),
  dnsConfig: FreeForm.optional(),
  seLinuxOptions: FreeForm.optional(),
  peerCaCrl: z.looseObject({ enabled: z.boolean().optional() }).optional(),
});

export const ZTunnelValues = z.looseObject({
  ztunnel: ZTunnelConfig.optional(),
  global: ComponentGlobalConfig.optional(),
});
export type ZTunnelValues = z.infer<typeof ZTunnelValues>;
