// Kubernetes' strategic merge patch, for the overlays users put in ConfigMaps: maps merge and null deletes; a list
// the object's type declares mergeable (containers by name, ports by number, ...) merges element by element;
// every other list is replaced. The declarations come from a MergeSchema (merge-keys.ts), standing in for the
// struct tags Kubernetes reads them from. Directives: `$patch: replace | delete | merge` on a map or list element.
import { deepCopy, isTree } from '../values/tree.ts';
import type { Tree } from '../values/tree.ts';

/** How a field merges; fields a schema does not name merge as maps (when both sides are maps) or are replaced. */
export interface FieldSchema {
  /** A list of maps merged element by element: elements with equal values of this key are the same element. */
  readonly mergeKey?: string;
  /** A list of scalars merged as a set (finalizers). */
  readonly set?: boolean;
  /** The fields of the map, or of the list's elements. */
  readonly fields?: MergeSchema;
}

export type MergeSchema = Readonly<Record<string, FieldSchema>>;

/** A patch Kubernetes would refuse; overlays report it as a failed strategic merge patch. */
export class StrategicMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategicMergeError';
  }
}

const directive = '$patch';

/** `patch` applied to `original`; neither is changed and the result shares nothing with them. */
export function strategicMerge(original: Tree, patch: Tree, schema: MergeSchema): Tree {
  return mergeMap(original, patch, schema) ?? {};
}

/** The merged map, or undefined when the patch deletes it (`$patch: delete`). */
function mergeMap(original: Tree, patch: Tree, schema: MergeSchema): Tree | undefined {
  const mode = patch[directive];
  if (mode === 'delete') return undefined;
  if (mode === 'replace') return mergeMap({}, withoutDirective(patch), schema);
  if (mode !== undefined && mode !== 'merge')
    throw new StrategicMergeError(`unknown patch type ${JSON.stringify(mode)}`);
  const result = deepCopy(original);
  for (const [key, value] of Object.entries(patch)) {
    if (key === directive) continue;
    if (key.startsWith('$')) throw new StrategicMergeError(`unsupported directive ${key}`);
    const merged = value === null ? undefined : mergeValue(result[key], value, schema[key]);
    if (merged === undefined) Reflect.deleteProperty(result, key);
    else result[key] = merged;
  }
  return result;
}

function mergeValue(original: unknown, patch: unknown, field: FieldSchema | undefined): unknown {
  const fields = field?.fields ?? {};
  if (isTree(patch)) return mergeMap(isTree(original) ? original : {}, patch, fields);
  if (!Array.isArray(patch)) return patch;
  const items: unknown[] = patch;
  // A list the patch introduces, or one of another type, is taken from the patch (directives applied to nothing).
  const base: unknown[] = Array.isArray(original) ? original : [];
  if (field?.mergeKey !== undefined) return mergeList(base, items, field.mergeKey, fields);
  if (field?.set === true) return [...new Set([...base, ...items.filter((item) => item !== null)])];
  return items.filter((item) => item !== null).map((item) => fresh(item, fields));
}

function withoutDirective(map: Tree): Tree {
  return Object.fromEntries(Object.entries(map).filter(([key]) => key !== directive));
}

function mergeList(original: unknown[], patch: unknown[], key: string, fields: MergeSchema): unknown[] {
  // `{$patch: replace}` among the elements: the list is exactly the patch's other elements.
  if (patch.some((item) => isTree(item) && item[directive] === 'replace' && Object.keys(item).length === 1)) {
    return patch.filter((item) => !(isTree(item) && directive in item)).map((item) => fresh(item, fields));
  }
  const elements = patch.filter((item) => item !== null);
  for (const item of elements) {
    if (!isTree(item) || !(key in item)) {
      throw new StrategicMergeError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    }
  }
  const patchKeys = (elements as Tree[]).map((item) => item[key]);
  const sameKey = (item: unknown, value: unknown) => isTree(item) && item[key] === value;

  let merged = original.map((item) => deepCopy(item));
  for (const item of elements as Tree[]) {
    const value = item[key];
    if (item[directive] === 'delete') {
      merged = merged.filter((existing) => !sameKey(existing, value));
      continue;
    }
    const index = merged.findIndex((existing) => sameKey(existing, value));
    const current = index >= 0 ? merged[index] : undefined;
    const next = mergeMap(isTree(current) ? current : {}, item, fields);
    if (index >= 0) {
      if (next === undefined) merged.splice(index, 1);
      else merged[index] = next;
    } else if (next !== undefined) merged.push(next);
  }
  return inPatchOrder(merged, patchKeys, original, key);
}

function fresh(item: unknown, fields: MergeSchema): unknown {
  return isTree(item) ? mergeMap({}, item, fields) : item;
}

/**
 * Kubernetes' element order (normalizeElementOrder): the elements the patch names keep the patch's relative order,
 * the others the original's, and the two are interleaved by their positions in the original; an element new to the
 * original follows the original elements it meets.
 */
function inPatchOrder(merged: unknown[], patchKeys: unknown[], original: unknown[], key: string): unknown[] {
  const keyOf = (item: unknown) => (isTree(item) ? item[key] : undefined);
  const named = new Set(patchKeys);
  const patched = merged
    .filter((item) => named.has(keyOf(item)))
    .sort((a, b) => patchKeys.indexOf(keyOf(a)) - patchKeys.indexOf(keyOf(b)));
  const serverOnly = merged.filter((item) => !named.has(keyOf(item)));
  const position = (item: unknown) => original.findIndex((o) => keyOf(o) === keyOf(item));
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < patched.length || j < serverOnly.length) {
    if (i >= patched.length) result.push(serverOnly[j++]);
    else if (j >= serverOnly.length) result.push(patched[i++]);
    else {
      const left = position(patched[i]);
      const right = position(serverOnly[j]);
      if (left >= 0 && right >= 0 && left < right) result.push(patched[i++]);
      else result.push(serverOnly[j++]);
    }
  }
  return result;
}
