// Carries out an ApplyPlan: server-side applies (force: the caller owns these objects), then deletes.
import type { ApplyPlan } from './apply-plan.ts';
import type { KubeClient } from './client.ts';
import { resourceOf } from './resources.ts';

/** Returns how many writes it made (0 at steady state). */
export async function writePlan(client: KubeClient, plan: ApplyPlan, fieldManager: string): Promise<number> {
  for (const obj of plan.apply) await client.apply(obj, fieldManager, true);
  for (const obj of plan.prune) await client.delete(resourceOf(obj), obj.metadata.name, obj.metadata.namespace);
  return plan.apply.length + plan.prune.length;
}
