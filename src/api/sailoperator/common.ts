// Pieces the sailoperator.io kinds share: group, profiles, namespaces, target references and status fields.
import { z } from 'zod';
import { Conditions } from '../kube-types.ts';
import type { CrdDefinition, CrdVersion, PrinterColumn } from '../crd/definition.ts';

export const group = 'sailoperator.io';

export const profiles = [
  'ambient',
  'default',
  'demo',
  'empty',
  'external',
  'openshift',
  'openshift-ambient',
  'preview',
  'remote',
  'stable',
] as const;
export const Profile = z.enum(profiles).meta({
  description: 'The built-in set of values to start from; the user values are applied on top of it.',
});

export const immutable = { rule: 'self == oldSelf', message: 'Value is immutable' };
export const nameMustBeDefault = {
  rule: "self.metadata.name == 'default'",
  message: "metadata.name must be 'default'",
};

export const Namespace = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/** The namespace a component is installed into; changing it after creation is refused. */
export const ImmutableNamespace = Namespace.meta({
  description: 'The namespace to install the component into.',
  'x-kubernetes-validations': [immutable],
});

export const TargetRef = z.object({
  kind: z.enum(['Istio', 'IstioRevision']).meta({ description: 'Istio or IstioRevision.' }),
  name: z.string().min(1).max(253),
});
export type TargetRef = z.infer<typeof TargetRef>;

export const StatusBase = {
  observedGeneration: z.int().min(0).optional().meta({ description: 'The generation the status was computed for.' }),
  conditions: Conditions.optional(),
  state: z.string().optional().meta({ description: 'The reason of the first condition that is not True, or Healthy.' }),
};

export const columns = {
  namespace: {
    name: 'Namespace',
    type: 'string',
    jsonPath: '.spec.namespace',
    description: 'The namespace for the component.',
  },
  profile: {
    name: 'Profile',
    type: 'string',
    jsonPath: '.spec.profile',
    description: 'The selected profile (collection of value presets).',
  },
  ready: {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: 'Whether the component is ready.',
  },
  inUse: {
    name: 'In use',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="InUse")].status',
    description: 'Whether the revision is being used by workloads.',
  },
  status: {
    name: 'Status',
    type: 'string',
    jsonPath: '.status.state',
    description: 'The current state of this object.',
  },
  version: { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'The version of the component.' },
  revision: {
    name: 'Revision',
    type: 'string',
    jsonPath: '.status.istioRevision',
    description: 'The IstioRevision in use.',
  },
} satisfies Record<string, PrinterColumn>;

/** A cluster-scoped sailoperator.io kind in the istio-io category. */
export function sailCrd(kind: string, versions: CrdVersion[], shortNames?: string[]): CrdDefinition {
  const singular = kind.toLowerCase();
  return {
    group,
    kind,
    plural: `${singular}s`,
    singular,
    ...(shortNames ? { shortNames } : {}),
    categories: ['istio-io'],
    scope: 'Cluster',
    versions,
  };
}

/** The served storage version, v1. */
export function v1(version: Omit<CrdVersion, 'name' | 'served' | 'storage'>): CrdVersion {
  return { name: 'v1', served: true, storage: true, ...version };
}
