// Istio: the control plane as users declare it. Cluster-scoped, any name; the operator makes IstioRevisions of it.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { Values } from '../values.ts';
import { versions } from '../versions.ts';
import { columns, ImmutableNamespace, Profile, sailCrd, StatusBase, v1 } from './common.ts';

export const istioNamespaceMatches = {
  rule: '!has(self.values) || !has(self.values.global) || !has(self.values.global.istioNamespace) || self.values.global.istioNamespace == self.__namespace__',
  message: 'spec.values.global.istioNamespace must match spec.namespace',
};

export const UpdateStrategy = z.object({
  type: z.enum(['InPlace', 'RevisionBased']).default('InPlace').meta({
    description: 'InPlace updates the one revision; RevisionBased creates a new revision per version.',
  }),
  inactiveRevisionDeletionGracePeriodSeconds: z.int().min(0).optional().meta({
    description: 'How long an unused, inactive revision is kept before it is deleted (default 30).',
  }),
  updateWorkloads: z.boolean().optional(),
});

export const IstioSpec = z
  .object({
    version: z
      .enum(versions.names)
      .default(versions.defaultVersion)
      .meta({ description: 'The Istio version to install.' }),
    updateStrategy: UpdateStrategy.prefault({}),
    profile: Profile.optional(),
    namespace: ImmutableNamespace.default('istio-system'),
    values: Values.optional(),
  })
  .meta({ 'x-kubernetes-validations': [istioNamespaceMatches] });
export type IstioSpec = z.infer<typeof IstioSpec>;

export const IstioStatus = z.object({
  ...StatusBase,
  activeRevisionName: z.string().optional(),
  revisions: z
    .object({ total: z.int(), ready: z.int(), inUse: z.int() })
    .optional()
    .meta({ description: "Counts of this Istio's revisions; -1 when they could not be listed." }),
});
export type IstioStatus = z.infer<typeof IstioStatus>;

export const istioCrd = sailCrd('Istio', [
  v1({
    description: 'Istio represents an Istio Service Mesh deployment consisting of one or more control plane instances.',
    spec: IstioSpec.prefault({}),
    status: IstioStatus.optional(),
    printerColumns: [
      columns.namespace,
      columns.profile,
      {
        name: 'Revisions',
        type: 'string',
        jsonPath: '.status.revisions.total',
        description: 'Total number of IstioRevision objects.',
      },
      {
        name: 'Ready',
        type: 'string',
        jsonPath: '.status.revisions.ready',
        description: 'Number of revisions that are ready.',
      },
      {
        name: 'In use',
        type: 'string',
        jsonPath: '.status.revisions.inUse',
        description: 'Number of revisions in use.',
      },
      {
        name: 'Active Revision',
        type: 'string',
        jsonPath: '.status.activeRevisionName',
        description: 'The revision new workloads use.',
      },
      columns.status,
      columns.version,
      ageColumn,
    ],
  }),
]);
