// IstioRevisionTag: a stable name (e.g. `default`, `prod`) that points at an Istio's active revision or a revision.
import { z } from 'zod';
import { ageColumn } from '../crd/definition.ts';
import { columns, sailCrd, StatusBase, TargetRef, v1 } from './common.ts';

export const IstioRevisionTagSpec = z.object({
  targetRef: TargetRef.meta({ description: 'The Istio or IstioRevision the tag points at.' }),
});
export type IstioRevisionTagSpec = z.infer<typeof IstioRevisionTagSpec>;

export const IstioRevisionTagStatus = z.object({
  ...StatusBase,
  istiodNamespace: z.string().optional(),
  istioRevision: z.string().optional(),
});
export type IstioRevisionTagStatus = z.infer<typeof IstioRevisionTagStatus>;

export const istioRevisionTagCrd = sailCrd(
  'IstioRevisionTag',
  [
    v1({
      description:
        'IstioRevisionTag references an Istio or IstioRevision object and serves as an alias for sidecar injection.',
      spec: IstioRevisionTagSpec,
      status: IstioRevisionTagStatus.optional(),
      printerColumns: [columns.status, columns.inUse, columns.revision, ageColumn],
    }),
  ],
  ['istiorevtag'],
);
