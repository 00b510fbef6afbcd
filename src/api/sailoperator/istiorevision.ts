// IstioRevision: one control plane instance with fully computed values. Normally created by the operator.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { Values } from '../values.ts';
import { versions } from '../versions.ts';
import { columns, ImmutableNamespace, sailCrd, StatusBase, v1 } from './common.ts';

export const IstioRevisionSpec = z
  .object({
    version: z
      .enum(versions.concrete.map((v) => v.name))
      .meta({ description: 'The concrete Istio version (no alias).' }),
    namespace: ImmutableNamespace,
    values: Values.meta({ description: 'The values after profiles and operator overrides.' }),
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'self.values.global.istioNamespace == self.__namespace__',
        message: 'spec.values.global.istioNamespace must match spec.namespace',
      },
    ],
  });
export type IstioRevisionSpec = z.infer<typeof IstioRevisionSpec>;

export const IstioRevisionStatus = z.object(StatusBase);
export type IstioRevisionStatus = z.infer<typeof IstioRevisionStatus>;

export const istioRevisionCrd = sailCrd(
  'IstioRevision',
  [
    v1({
      description: 'IstioRevision represents a single revision of an Istio Service Mesh deployment.',
      spec: IstioRevisionSpec,
      status: IstioRevisionStatus.optional(),
      rootValidations: [
        {
          rule: "self.metadata.name == 'default' ? (!has(self.spec.values.revision) || size(self.spec.values.revision) == 0) : self.spec.values.revision == self.metadata.name",
          message: "spec.values.revision must match metadata.name or be empty when the name is 'default'",
        },
      ],
      printerColumns: [
        columns.namespace,
        { name: 'Profile', type: 'string', jsonPath: '.spec.values.profile', description: 'The selected profile.' },
        columns.ready,
        columns.status,
        columns.inUse,
        columns.version,
        ageColumn,
      ],
    }),
  ],
  ['istiorev'],
);
