// An IstioRevisionTag's meaning, pure over the caches' contents: which revision it points at (an Istio's active
// revision, or a named revision), whether an IstioRevision of the same name takes precedence (the older object
// wins; a tie goes to the lower UID, as in Sail), and whether namespaces use it.
import type { ConditionInput } from '../../../src/kube/conditions.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { IstioRevisionTagSpec } from '../../../src/api/sailoperator/istiorevisiontag.ts';
import { resolveTargetRef } from '../common/target-ref.ts';

export type TagTarget =
  | { ok: true; revision: string; namespace: string }
  | { ok: false; reason: 'RefNotFound' | 'NameAlreadyExists'; message: string };

/** True when `a` was created before `b` (or at the same second with the lower UID). */
export function olderThan(a: KubeObject, b: KubeObject): boolean {
  const ta = Date.parse(a.metadata.creationTimestamp ?? '');
  const tb = Date.parse(b.metadata.creationTimestamp ?? '');
  return ta !== tb ? ta < tb : (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
}

export function resolveTag(
  tag: KubeObject,
  getIstio: (name: string) => KubeObject | undefined,
  getRevision: (name: string) => KubeObject | undefined,
): TagTarget {
  const sameName = getRevision(tag.metadata.name);
  if (sameName && olderThan(sameName, tag)) {
    return { ok: false, reason: 'NameAlreadyExists', message: 'an IstioRevision exists with this name' };
  }
  const found = resolveTargetRef((tag['spec'] as IstioRevisionTagSpec).targetRef, getIstio, getRevision);
  if (found.ok)
    return { ok: true, revision: found.name, namespace: (found.revision['spec'] as { namespace: string }).namespace };
  return { ok: false, reason: 'RefNotFound', message: refNotFound[found.missing] };
}

/** Sail's messages. */
const refNotFound = {
  Istio: 'referenced Istio resource does not exist',
  ActiveRevision: 'referenced Istio has no active revision yet',
  IstioRevision: 'referenced IstioRevision resource does not exist',
};

/** In use when a namespace selects the tag by `istio.io/rev` (or, for the tag `default`, by istio-injection). */
export function tagInUse(tag: string, namespaces: KubeObject[]): ConditionInput {
  const used = namespaces.some((ns) => {
    const labels = ns.metadata.labels ?? {};
    if (labels['istio.io/rev'] !== undefined) return labels['istio.io/rev'] === tag;
    return (
      tag === 'default' && (labels['istio-injection'] === 'enabled' || labels['istio.io/dataplane-mode'] === 'ambient')
    );
  });
  return used
    ? {
        type: 'InUse',
        status: 'True',
        reason: 'ReferencedByWorkloads',
        message: 'Referenced by at least one pod or namespace',
      }
    : {
        type: 'InUse',
        status: 'False',
        reason: 'NotReferencedByAnything',
        message: 'Not referenced by any pod or namespace',
      };
}
