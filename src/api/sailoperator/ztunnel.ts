// ZTunnel: the per-node L4 proxy DaemonSet. A singleton named `default`; v1 (storage) and the deprecated v1alpha1,
// which the API server converts between by rewriting apiVersion only (no conversion webhook).
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { ZTunnelValues } from '../values.ts';
import { versions } from '../versions.ts';
import { columns, Namespace, nameMustBeDefault, Profile, sailCrd, StatusBase, TargetRef, v1 } from './common.ts';

// ztunnel ships with ambient mode, which is stable from Istio 1.24.
const ZTunnelVersion = z
  .enum(versions.namesFrom(24))
  .default(versions.defaultVersion)
  .meta({ description: 'The ztunnel version.' });
const ZTunnelNamespace = Namespace.default('ztunnel').meta({ description: 'The namespace to install ztunnel into.' });

export const ZTunnelSpec = z.object({
  version: ZTunnelVersion,
  namespace: ZTunnelNamespace,
  targetRef: TargetRef.optional().meta({
    description: 'The Istio or IstioRevision whose global values, meshConfig and revision ztunnel inherits.',
  }),
  values: ZTunnelValues.optional(),
});
export type ZTunnelSpec = z.infer<typeof ZTunnelSpec>;

// targetRef exists in v1 only, but v1alpha1 must declare it too: the API server converts an object to every version
// its managedFields name, and an object written as v1alpha1 then given a targetRef as v1 would otherwise fail every
// later server-side apply with ".spec.targetRef: field not declared in schema".
export const ZTunnelSpecV1alpha1 = z.object({
  version: ZTunnelVersion,
  profile: Profile.default('ambient'),
  namespace: ZTunnelNamespace,
  targetRef: TargetRef.optional(),
  values: ZTunnelValues.optional(),
});

export const ZTunnelStatus = z.object({ ...StatusBase, istioRevision: z.string().optional() });
export type ZTunnelStatus = z.infer<typeof ZTunnelStatus>;

const description = 'ZTunnel represents a deployment of the Istio ztunnel component.';

export const ztunnelCrd = sailCrd('ZTunnel', [
  v1({
    description,
    spec: ZTunnelSpec.prefault({}),
    status: ZTunnelStatus.optional(),
    rootValidations: [nameMustBeDefault],
    printerColumns: [columns.namespace, columns.ready, columns.status, columns.version, columns.revision, ageColumn],
  }),
  {
    name: 'v1alpha1',
    served: true,
    storage: false,
    deprecated: true,
    description,
    spec: ZTunnelSpecV1alpha1.prefault({}),
    status: ZTunnelStatus.optional(),
    rootValidations: [nameMustBeDefault],
    printerColumns: [columns.namespace, columns.profile, columns.ready, columns.status, columns.version, ageColumn],
  },
]);
