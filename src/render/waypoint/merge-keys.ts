// The strategic-merge declarations (patchStrategy/patchMergeKey struct tags in k8s.io/api) of the kinds a waypoint
// is made of, as far as an overlay can reach them. A list not named here is atomic: an overlay replaces it whole
// (tolerations, args, affinity terms, HPA metrics, ...).
import type { MergeSchema } from './strategic-merge.ts';

const objectMeta: MergeSchema = {
  ownerReferences: { mergeKey: 'uid' },
  finalizers: { set: true },
};

const container: MergeSchema = {
  ports: { mergeKey: 'containerPort' },
  env: { mergeKey: 'name' },
  volumeMounts: { mergeKey: 'mountPath' },
  volumeDevices: { mergeKey: 'devicePath' },
};

const podSpec: MergeSchema = {
  containers: { mergeKey: 'name', fields: container },
  initContainers: { mergeKey: 'name', fields: container },
  ephemeralContainers: { mergeKey: 'name', fields: container },
  volumes: { mergeKey: 'name' },
  imagePullSecrets: { mergeKey: 'name' },
  hostAliases: { mergeKey: 'ip' },
  topologySpreadConstraints: { mergeKey: 'topologyKey' },
  resourceClaims: { mergeKey: 'name' },
  schedulingGates: { mergeKey: 'name' },
};

const conditions: MergeSchema = { conditions: { mergeKey: 'type' } };

const deployment: MergeSchema = {
  metadata: { fields: objectMeta },
  spec: {
    fields: { template: { fields: { metadata: { fields: objectMeta }, spec: { fields: podSpec } } } },
  },
  status: { fields: conditions },
};

const service: MergeSchema = {
  metadata: { fields: objectMeta },
  spec: { fields: { ports: { mergeKey: 'port' } } },
  status: { fields: conditions },
};

const serviceAccount: MergeSchema = {
  metadata: { fields: objectMeta },
  secrets: { mergeKey: 'name' },
};

const withStatusConditions: MergeSchema = {
  metadata: { fields: objectMeta },
  status: { fields: conditions },
};

/** The merge declarations of each kind, by the overlay key that patches it. */
export const mergeSchemas = {
  deployment,
  service,
  serviceAccount,
  horizontalPodAutoscaler: withStatusConditions,
  podDisruptionBudget: withStatusConditions,
} as const satisfies Record<string, MergeSchema>;
