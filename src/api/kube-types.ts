// The few Kubernetes core types that Istio's values and our status embed, as zod schemas.
import { z } from 'zod';

export const IntOrString = z.union([z.int(), z.string()]);

export const Quantity = IntOrString.meta({ description: 'A resource quantity, e.g. 100m or 128Mi.' });

export const ResourceRequirements = z.looseObject({
  limits: z.record(z.string(), Quantity).optional(),
  requests: z.record(z.string(), Quantity).optional(),
});

export const Toleration = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.int().optional(),
});

export const StringMap = z.record(z.string(), z.string());

export const LabelSelectorRequirement = z.object({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});

export const LabelSelector = z
  .object({
    matchLabels: StringMap.optional(),
    matchExpressions: z.array(LabelSelectorRequirement).optional(),
  })
  .meta({ 'x-kubernetes-map-type': 'atomic' });
export type LabelSelector = z.infer<typeof LabelSelector>;

/** A free-form Kubernetes object (affinity, security context, volumes, …) kept as the user wrote it. */
export const FreeForm = z.unknown();

const conditionReason = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** metav1.Condition's shape, with observedGeneration so `kubectl wait` never trusts a stale condition. */
export const Condition = z.object({
  type: z.string().max(316).meta({ description: 'The type of the condition, e.g. Ready.' }),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().max(1024).regex(conditionReason).optional(),
  message: z.string().max(32768).optional(),
  lastTransitionTime: z.string().meta({ format: 'date-time' }).optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type Condition = z.infer<typeof Condition>;

export const Conditions = z.array(Condition).meta({
  description: "Represents the latest available observations of the object's current state.",
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
});
