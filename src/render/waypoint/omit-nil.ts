// Helm-style values may hold nulls meaning "not this one" (resources: {limits: {cpu: null}}); istiod's omitNil drops
// them before rendering, along with any map or list left empty only because of that.
import { isTree } from '../values/tree.ts';

/** A deep copy without nulls; undefined when the value is null or nothing but nulls. */
export function omitNil(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const kept = value.map(omitNil).filter((item) => item !== undefined);
    return kept.length === 0 && value.length > 0 ? undefined : kept;
  }
  if (!isTree(value)) return value;
  const entries = Object.entries(value)
    .map(([key, item]) => [key, omitNil(item)] as const)
    .filter(([, item]) => item !== undefined);
  const size = Object.keys(value).length;
  return entries.length === 0 && size > 0 ? undefined : Object.fromEntries(entries);
}
