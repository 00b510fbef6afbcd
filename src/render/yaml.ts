// Text the rendered ConfigMaps carry. Keys are sorted, so the text, and the hash of what is applied, depends only on
// the content.
import { dump } from 'js-yaml';
import { isTree } from './values/tree.ts';

/** A copy with every object's keys sorted, at every depth. */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isTree(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys(value[k])]),
  );
}

/** YAML with sorted keys and no line folding. */
export function configYaml(value: unknown): string {
  return dump(sortedKeys(value), { lineWidth: -1, noRefs: true }).trimEnd();
}

/** JSON with sorted keys, indented by two spaces (Helm's toPrettyJson). */
export function configJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value), null, 2);
}
