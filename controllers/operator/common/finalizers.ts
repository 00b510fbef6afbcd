// Adding and removing our finalizer with a merge patch guarded by the resourceVersion (a stale cache then fails
// with 409 and the key is retried, instead of overwriting someone else's finalizers).
import type { KubeObject } from '../../../src/kube/objects.ts';
import { resourceOf } from '../../../src/kube/resources.ts';
import { finalizer, type OperatorContext } from './context.ts';

export function hasFinalizer(obj: KubeObject): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

export async function addFinalizer(ctx: OperatorContext, obj: KubeObject, fieldManager: string): Promise<void> {
  if (hasFinalizer(obj)) return;
  await setFinalizers(ctx, obj, [...(obj.metadata.finalizers ?? []), finalizer], fieldManager);
}

export async function removeFinalizer(ctx: OperatorContext, obj: KubeObject, fieldManager: string): Promise<void> {
  if (!hasFinalizer(obj)) return;
  await setFinalizers(
    ctx,
    obj,
    (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer),
    fieldManager,
  );
}

async function setFinalizers(
  ctx: OperatorContext,
  obj: KubeObject,
  finalizers: string[],
  fieldManager: string,
): Promise<void> {
  await ctx.client.mergePatch(
    resourceOf(obj),
    obj.metadata.name,
    obj.metadata.namespace,
    { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } },
    fieldManager,
  );
}
