// Users customize waypoints with ConfigMaps whose keys name an object kind and whose values are YAML patches of it,
// applied as strategic merge patches in order. The HorizontalPodAutoscaler and PodDisruptionBudget exist only when a
// patch configures them. A patch may change anything but an object's identity.
import { isDeepStrictEqual } from 'node:util';
import { load } from 'js-yaml';
import type { KubeObject } from '../../kube/objects.ts';
import { isTree } from '../values/tree.ts';
import type { Tree } from '../values/tree.ts';
import { WaypointRenderError } from './errors.ts';
import { mergeSchemas } from './merge-keys.ts';
import { StrategicMergeError, strategicMerge } from './strategic-merge.ts';

export type OverlayKey = keyof typeof mergeSchemas;

/** The supported keys, sorted as istiod lists them in its error. */
export const overlayKeys: readonly OverlayKey[] = Object.keys(mergeSchemas).sort() as OverlayKey[];

const keyOfKind: Readonly<Record<string, OverlayKey>> = {
  Deployment: 'deployment',
  Service: 'service',
  ServiceAccount: 'serviceAccount',
  HorizontalPodAutoscaler: 'horizontalPodAutoscaler',
  PodDisruptionBudget: 'podDisruptionBudget',
};

/** Kinds rendered only when an overlay configures them. */
const onlyWhenOverlaid = new Set<OverlayKey>(['horizontalPodAutoscaler', 'podDisruptionBudget']);

const supported = new Set<string>(overlayKeys);

/** Fails on the first key (in sorted order) that names no kind. */
export function checkOverlayKeys(overlays: readonly Record<string, string>[]): void {
  for (const overlay of overlays) {
    const unknown = Object.keys(overlay)
      .sort()
      .find((key) => !supported.has(key));
    if (unknown !== undefined) {
      throw new WaypointRenderError(
        'InvalidParameters',
        `unsupported overlay ${JSON.stringify(unknown)} (supported: [${overlayKeys.join(' ')}])`,
      );
    }
  }
}

/** The objects with the overlays applied, without the overlay-only kinds no overlay configured. */
export function applyOverlays(
  objects: readonly KubeObject[],
  overlays: readonly Record<string, string>[],
): KubeObject[] {
  checkOverlayKeys(overlays);
  const result: KubeObject[] = [];
  for (const object of objects) {
    const key = keyOfKind[object.kind];
    if (key === undefined)
      throw new WaypointRenderError('Invalid', `unknown overlay kind ${JSON.stringify(object.kind)}`);
    const patches = overlays.map((overlay) => overlay[key]).filter((patch) => patch !== undefined);
    if (patches.length === 0 && onlyWhenOverlaid.has(key)) continue;
    let patched = object as Tree;
    for (const patch of patches) patched = applyPatch(patched, patch, key);
    checkIdentity(object, patched);
    result.push(patched as KubeObject);
  }
  return result;
}

function applyPatch(object: Tree, patch: string, key: OverlayKey): Tree {
  const parsed = parse(patch);
  try {
    return strategicMerge(object, parsed, mergeSchemas[key]);
  } catch (error) {
    if (!(error instanceof StrategicMergeError)) throw error;
    throw new WaypointRenderError('InvalidParameters', `strategic merge patch failed: ${error.message}`);
  }
}

/** The patch as a map: empty text and null patch nothing; anything but a map is not a patch. */
function parse(patch: string): Tree {
  // js-yaml refuses a document of nothing but whitespace and comments; Kubernetes reads it as an empty patch.
  if (patch.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#'))) return {};
  let parsed: unknown;
  try {
    parsed = load(patch);
  } catch {
    throw invalidDocument();
  }
  if (parsed === undefined || parsed === null) return {};
  if (!isTree(parsed)) throw invalidDocument();
  return parsed;
}

// Kubernetes' wording (mergepatch.ErrBadJSONDoc), as istiod reports it.
function invalidDocument(): WaypointRenderError {
  return new WaypointRenderError('InvalidParameters', 'strategic merge patch failed: invalid JSON document');
}

// What makes an object that object: a patch changing any of these would make the controller write something else.
const identityFields = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
] as const;

function checkIdentity(before: KubeObject, after: Tree): void {
  const metadata = isTree(after['metadata']) ? after['metadata'] : {};
  const same =
    before.apiVersion === after['apiVersion'] &&
    before.kind === after['kind'] &&
    identityFields.every((field) => isDeepStrictEqual(before.metadata[field], metadata[field])) &&
    // An empty list of finalizers is no finalizers.
    isDeepStrictEqual(before.metadata.finalizers ?? [], metadata['finalizers'] ?? []) &&
    // Never set by a renderer; any at all is a patch trying to.
    !hasItems(before.metadata['managedFields']) &&
    !hasItems(metadata['managedFields']);
  if (!same) throw new WaypointRenderError('InvalidParameters', 'illegal metadata change');
}

function hasItems(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
