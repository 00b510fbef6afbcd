// A spec.targetRef (of a ZTunnel or an IstioRevisionTag) names an Istio, meaning its active revision, or an
// IstioRevision. One rule for what it resolves to and for which changes can alter that. Pure over the caches.
import type { TargetRef } from '../../../src/api/sailoperator/common.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

export type RevisionTarget =
  | { ok: true; name: string; revision: KubeObject }
  /** What is missing: the Istio, its active revision, or the IstioRevision (`name`). */
  | { ok: false; missing: 'Istio' | 'ActiveRevision' | 'IstioRevision'; name: string };

export function resolveTargetRef(
  ref: TargetRef,
  getIstio: (name: string) => KubeObject | undefined,
  getRevision: (name: string) => KubeObject | undefined,
): RevisionTarget {
  let name = ref.name;
  if (ref.kind === 'Istio') {
    const istio = getIstio(ref.name);
    if (!istio) return { ok: false, missing: 'Istio', name: ref.name };
    const active = (istio['status'] as { activeRevisionName?: string } | undefined)?.activeRevisionName;
    if (!active) return { ok: false, missing: 'ActiveRevision', name: ref.name };
    name = active;
  }
  const revision = getRevision(name);
  return revision ? { ok: true, name, revision } : { ok: false, missing: 'IstioRevision', name };
}

/**
 * Whether a change to `o` can change what `referrer`'s targetRef resolves to: `o` is the object named, or a revision
 * of the Istio named.
 */
export function targetRefDependsOn(referrer: KubeObject, o: KubeObject): boolean {
  const ref = (referrer['spec'] as { targetRef?: TargetRef } | undefined)?.targetRef;
  if (!ref) return false;
  if (ref.kind === o.kind && ref.name === o.metadata.name) return true;
  return (
    ref.kind === 'Istio' &&
    (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'Istio' && r.name === ref.name)
  );
}
