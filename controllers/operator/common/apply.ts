// Writes a reconcile's intent: server-side applies only the objects the plan says changed, and deletes objects of
// the owner that the intent no longer has. Returns how many writes it made (0 at steady state).
import type { Logger } from 'winston';
import { liveKey } from '../../../src/kube/apply-plan.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { writeIntent } from '../../../src/kube/write-plan.ts';
import type { OperatorContext } from './context.ts';

async function applyIntent(
  ctx: OperatorContext,
  ownerUid: string,
  rendered: KubeObject[],
  fieldManager: string,
  log: Logger,
): Promise<number> {
  const live = new Map<string, KubeObject>();
  for (const obj of rendered) {
    const found = ctx.caches.live(obj);
    if (found) live.set(liveKey(obj), found);
  }
  // We own these objects outright: force takes back fields someone else edited.
  return writeIntent(ctx.client, { rendered, live, owned: ctx.caches.ownedBy(ownerUid) }, fieldManager, log);
}

/** applyIntent, with a failure returned instead of thrown: the reconcile reports it in status, then rethrows. */
export async function applyIntentOrError(
  ctx: OperatorContext,
  ownerUid: string,
  rendered: KubeObject[],
  fieldManager: string,
  log: Logger,
): Promise<Error | undefined> {
  try {
    await applyIntent(ctx, ownerUid, rendered, fieldManager, log);
    return undefined;
  } catch (err) {
    return err as Error;
  }
}
