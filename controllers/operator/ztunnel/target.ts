// Resolving a ZTunnel's targetRef to the IstioRevision whose global values, mesh config and revision it inherits,
// with messages that say how to fix a missing target. Pure over the caches' contents.
import type { IstioRevisionSpec } from '../../../src/api/sailoperator/istiorevision.ts';
import type { ZTunnelSpec } from '../../../src/api/sailoperator/ztunnel.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { resolveTargetRef } from '../common/target-ref.ts';

export type TargetResolution =
  | { kind: 'none' }
  | { kind: 'resolved'; revision: string; values: IstioRevisionSpec['values'] }
  | { kind: 'missing'; message: string };

export function resolveTarget(
  target: ZTunnelSpec['targetRef'],
  getIstio: (name: string) => KubeObject | undefined,
  getRevision: (name: string) => KubeObject | undefined,
): TargetResolution {
  if (!target) return { kind: 'none' };
  const found = resolveTargetRef(target, getIstio, getRevision);
  if (found.ok)
    return { kind: 'resolved', revision: found.name, values: (found.revision['spec'] as IstioRevisionSpec).values };
  switch (found.missing) {
    case 'Istio':
      return {
        kind: 'missing',
        message: `referenced Istio "${found.name}" not found; create it or fix spec.targetRef`,
      };
    case 'ActiveRevision':
      return { kind: 'missing', message: `referenced Istio "${found.name}" has no active revision yet` };
    case 'IstioRevision':
      return {
        kind: 'missing',
        message: `referenced IstioRevision "${found.name}" not found; create it or fix spec.targetRef`,
      };
  }
}
