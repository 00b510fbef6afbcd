// Cleanup of a deleted component CR: delete what it owns (workloads in the foreground, so their pods go first),
// and remove our finalizer once the caches show nothing of it left. Each owned object's deletion brings the key
// back, so this needs no polling.
import type { Logger } from 'winston';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { resourceOf } from '../../../src/kube/resources.ts';
import type { OperatorContext } from './context.ts';
import { hasFinalizer, removeFinalizer } from './finalizers.ts';

export async function finalize(
  ctx: OperatorContext,
  obj: KubeObject,
  fieldManager: string,
  log: Logger,
): Promise<ReconcileResult> {
  if (!hasFinalizer(obj)) return {};
  const owned = ctx.caches.ownedBy(obj.metadata.uid!);
  for (const o of owned.filter((x) => !x.metadata.deletionTimestamp)) {
    await ctx.client.delete(resourceOf(o), o.metadata.name, o.metadata.namespace, 'Foreground');
  }
  if (owned.length > 0) {
    log.info('waiting for owned objects to be deleted', {
      remaining: owned.map((o) => `${o.kind}/${o.metadata.name}`),
    });
    return {};
  }
  await removeFinalizer(ctx, obj, fieldManager);
  log.info('cleaned up');
  return {};
}
