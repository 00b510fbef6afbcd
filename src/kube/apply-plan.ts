// What to write for a set of rendered objects, given what the caches show: apply an object only when it is
// missing, when our intent changed (its hash annotation differs), or when someone changed a field we set (drift);
// delete objects we made earlier that the intent no longer has. Pure, so that steady state (no writes) is testable.
import { createHash } from 'node:crypto';
import type { KubeObject } from './objects.ts';

export const appliedHashAnnotation = 'ambit.io/applied-hash';

export interface ApplyPlan {
  apply: KubeObject[];
  prune: KubeObject[];
}

/** A stable hash of an object's intent: key order does not matter. */
export function intentHash(obj: KubeObject): string {
  return createHash('sha256').update(canonicalJson(obj)).digest('hex').slice(0, 16);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The object as applied: with the hash of its intent in an annotation. */
export function withIntentHash(obj: KubeObject): KubeObject {
  const hash = intentHash(obj);
  return {
    ...obj,
    metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [appliedHashAnnotation]: hash } },
  };
}

/**
 * True when every field of `want` is in `have` with the same value. Lists must match element by element; the API
 * server's defaults (fields we did not set) are ignored, and so is a zero value we set that the API server omits
 * (built-in kinds drop 0, false and "" from optional fields).
 */
export function isSubset(want: unknown, have: unknown): boolean {
  if (have === undefined && (want === 0 || want === false || want === '')) return true;
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => isSubset(w, have[i]));
  }
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want as Record<string, unknown>).every(
      ([k, w]) => w === undefined || isSubset(w, (have as Record<string, unknown>)[k]),
    );
  }
  return want === have;
}

export const liveKey = (o: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * `rendered` is the full intent (without hash annotations); `live` holds the objects the caches have for this
 * owner (found by owner reference) and for every rendered name.
 */
export function planApply(rendered: KubeObject[], live: Map<string, KubeObject>, ownedLive: KubeObject[]): ApplyPlan {
  const apply: KubeObject[] = [];
  const wanted = new Set<string>();
  for (const obj of rendered) {
    const key = liveKey(obj);
    wanted.add(key);
    const desired = withIntentHash(obj);
    const current = live.get(key);
    const upToDate =
      current !== undefined &&
      current.metadata.annotations?.[appliedHashAnnotation] === desired.metadata.annotations?.[appliedHashAnnotation] &&
      isSubset(withoutMetadata(desired), withoutMetadata(current)) &&
      isSubset(desired.metadata.labels ?? {}, current.metadata.labels ?? {});
    if (!upToDate) apply.push(desired);
  }
  const prune = ownedLive.filter((o) => !wanted.has(liveKey(o)) && !o.metadata.deletionTimestamp);
  return { apply, prune };
}

function withoutMetadata(o: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = o;
  return rest;
}
