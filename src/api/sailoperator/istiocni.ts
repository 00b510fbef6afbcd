// IstioCNI: the istio-cni-node DaemonSet. A singleton named `default`.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { CNIValues } from '../values.ts';
import { versions } from '../versions.ts';
import { columns, ImmutableNamespace, nameMustBeDefault, Profile, sailCrd, StatusBase, v1 } from './common.ts';

export const IstioCNISpec = z.object({
  version: z.enum(versions.names).default(versions.defaultVersion).meta({ description: 'The Istio CNI version.' }),
  profile: Profile.optional(),
  namespace: ImmutableNamespace.default('istio-cni'),
  values: CNIValues.optional(),
});
export type IstioCNISpec = z.infer<typeof IstioCNISpec>;

export const IstioCNIStatus = z.object(StatusBase);
export type IstioCNIStatus = z.infer<typeof IstioCNIStatus>;

export const istioCniCrd = sailCrd('IstioCNI', [
  v1({
    description: 'IstioCNI represents a deployment of the Istio CNI component.',
    spec: IstioCNISpec.prefault({}),
    status: IstioCNIStatus.optional(),
    rootValidations: [nameMustBeDefault],
    printerColumns: [columns.namespace, columns.profile, columns.ready, columns.status, columns.version, ageColumn],
  }),
]);
