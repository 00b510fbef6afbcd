// Helm's value-merge rule, which Sail and Istio's charts use for every layer: maps merge key by key, lists and scalars
// are replaced by the later layer, and a null in a later layer deletes the key.
import { deepCopy, isTree } from './tree.ts';
import type { Tree } from './tree.ts';

/**
 * The layers merged in order, last wins. Undefined layers and undefined keys are skipped. The result shares no
 * object with any input, so neither the inputs nor the result can change the other later.
 */
export function deepMerge<T extends object>(...layers: readonly (T | undefined)[]): T {
  const merged: Tree = {};
  for (const layer of layers) if (layer) mergeInto(merged, layer as Tree);
  return merged as T;
}

/** Merges `overlay` into `target`, a tree this module built; values are copied, never shared. */
function mergeInto(target: Tree, overlay: Tree): void {
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    if (value === null) {
      Reflect.deleteProperty(target, key);
    } else if (isTree(value)) {
      const current = target[key];
      const next = isTree(current) ? current : {};
      mergeInto(next, value);
      target[key] = next;
    } else {
      target[key] = deepCopy(value);
    }
  }
}
