// Carries out an ApplyPlan: server-side applies (force: the caller owns these objects), then deletes; and the whole
// write of an owner's intent (plan, write, log) that every controller which installs objects uses.
import type { Logger } from 'winston';
import { planApply, type ApplyPlan } from './apply-plan.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import { resourceOf } from './resources.ts';

/**
 * Returns how many writes it made (0 at steady state). In order by default (a plan may hold a Namespace or a CRD
 * before what needs it); `concurrent` sends all applies at once, then all deletes, for plans of independent objects.
 */
export async function writePlan(
  client: KubeClient,
  plan: ApplyPlan,
  fieldManager: string,
  opts: { concurrent?: boolean } = {},
): Promise<number> {
  const remove = (obj: KubeObject) => client.delete(resourceOf(obj), obj.metadata.name, obj.metadata.namespace);
  if (opts.concurrent) {
    await settleAll(plan.apply.map((obj) => client.apply(obj, fieldManager, true)));
    await settleAll(plan.prune.map(remove));
  } else {
    for (const obj of plan.apply) await client.apply(obj, fieldManager, true);
    for (const obj of plan.prune) await remove(obj);
  }
  return plan.apply.length + plan.prune.length;
}

/**
 * Waits for every one of `writes`, then fails if any failed: with its error when one did, else with an AggregateError
 * of them whose message lists every failure in the order given. Whichever finishes first never decides what is
 * reported, so a status built from it reads the same on every attempt.
 */
export async function settleAll(writes: Promise<unknown>[]): Promise<void> {
  const failures = (await Promise.allSettled(writes)).flatMap((r): unknown[] =>
    r.status === 'rejected' ? [r.reason] : [],
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, failures.map((e) => (e as Error).message).join('; '));
}

/**
 * An owner's intent written: applies the `rendered` objects that differ from their `live` copies (by liveKey) and
 * prunes the `owned` ones the intent no longer has, then logs what it wrote. Returns how many writes it made.
 */
export async function writeIntent(
  client: KubeClient,
  intent: { rendered: KubeObject[]; live: Map<string, KubeObject>; owned: KubeObject[] },
  fieldManager: string,
  log: Logger,
  opts: { concurrent?: boolean } = {},
): Promise<number> {
  const plan = planApply(intent.rendered, intent.live, intent.owned);
  const writes = await writePlan(client, plan, fieldManager, opts);
  if (writes > 0) {
    log.info('applied', {
      applied: plan.apply.map((o) => `${o.kind}/${o.metadata.name}`),
      pruned: plan.prune.map((o) => `${o.kind}/${o.metadata.name}`),
    });
  }
  return writes;
}
