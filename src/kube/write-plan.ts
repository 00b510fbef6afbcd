// Carries out an ApplyPlan: server-side applies (force: the caller owns these objects), then deletes.
import type { ApplyPlan } from './apply-plan.ts';
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
    await Promise.all(plan.apply.map((obj) => client.apply(obj, fieldManager, true)));
    await Promise.all(plan.prune.map(remove));
  } else {
    for (const obj of plan.apply) await client.apply(obj, fieldManager, true);
    for (const obj of plan.prune) await remove(obj);
  }
  return plan.apply.length + plan.prune.length;
}
