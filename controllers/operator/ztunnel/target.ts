// Resolving a ZTunnel's targetRef to the IstioRevision whose global values, mesh config and revision it inherits.
// Pure over the caches' contents.
import type { IstioRevisionSpec } from '../../../src/api/sailoperator/istiorevision.ts';
import type { ZTunnelSpec } from '../../../src/api/sailoperator/ztunnel.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

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
  let revisionName = target.name;
  if (target.kind === 'Istio') {
    const istio = getIstio(target.name);
    if (!istio)
      return {
        kind: 'missing',
        message: `referenced Istio "${target.name}" not found; create it or fix spec.targetRef`,
      };
    const active = (istio['status'] as { activeRevisionName?: string } | undefined)?.activeRevisionName;
    if (!active) return { kind: 'missing', message: `referenced Istio "${target.name}" has no active revision yet` };
    revisionName = active;
  }
  const revision = getRevision(revisionName);
  if (!revision)
    return {
      kind: 'missing',
      message: `referenced IstioRevision "${revisionName}" not found; create it or fix spec.targetRef`,
    };
  return { kind: 'resolved', revision: revisionName, values: (revision['spec'] as IstioRevisionSpec).values };
}
