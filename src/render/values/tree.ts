// Values are JSON trees; most of Istio's values are untyped past the fields Ambit interprets, so readers walk them.

export type Tree = Record<string, unknown>;

/** A plain map (not a list, not null). */
export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` below `root`, or undefined when any step is missing or not a map. */
export function valueAt(root: unknown, ...path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isTree(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A deep copy of a JSON value (maps, lists and scalars), sharing no object with the original. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (!isTree(value)) return value;
  const out: Tree = {};
  for (const [key, item] of Object.entries(value)) out[key] = deepCopy(item);
  return out as T;
}
