// What wakes a controller: a cache and the keys its events map to. Each controller declares its own watches, as
// controller-runtime's For/Owns/Watches do; a manager only subscribes them. The mappings every controller reuses
// live here: the object itself, everything of another cache, the objects that refer to it, and its owners.
import { isDeepStrictEqual } from 'node:util';
import type { Informer } from './informer.ts';
import { objectKey, type KubeObject } from './objects.ts';

export interface Watch {
  informer: Informer<KubeObject>;
  /** The keys an event on `o` wakes; `old` is the object before an update (undefined for an add or a delete). */
  keys: (o: KubeObject, old: KubeObject | undefined) => Iterable<string>;
}

/** Enqueues the keys of every add, update (resyncs included) and delete of the watched cache. */
export function subscribe(watch: Watch, enqueue: (key: string) => void): void {
  const fire = (o: KubeObject, old: KubeObject | undefined) => {
    for (const key of watch.keys(o, old)) enqueue(key);
  };
  watch.informer.on({
    add: (o) => fire(o, undefined),
    update: (old, o) => fire(o, old),
    delete: (o) => fire(o, undefined),
  });
}

const keysOf = (objects: KubeObject[]) => objects.map(objectKey);

/** The object itself (controller-runtime's For). */
export function self(informer: Informer<KubeObject>): Watch {
  return { informer, keys: (o) => [objectKey(o)] };
}

/**
 * The object itself, except for an update of its status alone (controller-runtime's GenerationChangedPredicate, with
 * labels and annotations counted too): a controller's own status write must not wake it again, past the backoff of
 * a reconcile that failed. A resync (the same object replayed) still does.
 */
export function selfUnlessStatusOnly(informer: Informer<KubeObject>): Watch {
  return {
    informer,
    keys: (o, old) =>
      old !== undefined && old !== o && isDeepStrictEqual(withoutStatus(old), withoutStatus(o)) ? [] : [objectKey(o)],
  };
}

/** The object without what a status write changes: its status and resourceVersion. */
function withoutStatus(o: KubeObject): object {
  const { status: _status, ...rest } = o;
  const { resourceVersion: _version, ...metadata } = o.metadata;
  return { ...rest, metadata };
}

/** Every object of `target` (that `filter` keeps), on any event of `informer`. */
export function everyOf(
  informer: Informer<KubeObject>,
  target: Informer<KubeObject>,
  filter?: (o: KubeObject) => boolean,
): Watch {
  return { informer, keys: () => keysOf(target.list(filter)) };
}

/** The objects of `target` that refer to the changed object, by whatever reference `refersTo` reads. */
export function referrers(
  informer: Informer<KubeObject>,
  target: Informer<KubeObject>,
  refersTo: (referrer: KubeObject, o: KubeObject) => boolean,
): Watch {
  return { informer, keys: (o) => keysOf(target.list((r) => refersTo(r, o))) };
}

export interface OwnerMatch {
  /** Owners are namespaced, in the object's namespace: keys are `namespace/name`. */
  namespaced: boolean;
  /** Every owner reference of the kind counts, not only the controller reference. */
  anyReference?: boolean;
}

/** The keys of `o`'s owners of kind `kind`. */
export function ownerKeys(o: KubeObject, kind: string, match: OwnerMatch): string[] {
  return (o.metadata.ownerReferences ?? [])
    .filter((r) => r.kind === kind && (match.anyReference === true || r.controller === true))
    .flatMap((r) => {
      if (!match.namespaced) return [r.name];
      return o.metadata.namespace ? [`${o.metadata.namespace}/${r.name}`] : [];
    });
}

/** The owners of kind `kind` of each object of the `informers` (controller-runtime's Owns). */
export function owners(informers: Iterable<Informer<KubeObject>>, kind: string, match: OwnerMatch): Watch[] {
  return [...informers].map((informer) => ({ informer, keys: (o) => ownerKeys(o, kind, match) }));
}
