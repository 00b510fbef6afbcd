// Writes a reconcile's intent: server-side applies only the objects the plan says changed, and deletes objects of
// the owner that the intent no longer has. Returns how many writes it made (0 at steady state).
import type { Logger } from 'winston';
import { planApply, liveKey } from '../../../src/kube/apply-plan.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { writePlan } from '../../../src/kube/write-plan.ts';
import type { OperatorContext } from './context.ts';

export async function applyIntent(
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
  const plan = planApply(rendered, live, ctx.caches.ownedBy(ownerUid));
  // We own these objects outright: force takes back fields someone else edited.
  const writes = await writePlan(ctx.client, plan, fieldManager);
  if (writes > 0) {
    log.info('applied', {
      applied: plan.apply.map((o) => `${o.kind}/${o.metadata.name}`),
      pruned: plan.prune.map((o) => `${o.kind}/${o.metadata.name}`),
    });
  }
  return writes;
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
