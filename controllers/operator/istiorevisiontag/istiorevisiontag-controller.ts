// IstioRevisionTag → which revision the tag stands for: Reconciled (RefNotFound, NameAlreadyExists), InUse, Sail's
// state (Reconciled then InUse), and status.istioRevision / istiodNamespace for the control plane to scope by.
// Ambient mode needs no injection webhooks, so a tag renders no objects.
import type { Logger } from 'winston';
import type { Condition } from '../../../src/api/kube-types.ts';
import { deriveState, mergeConditions, type ConditionInput } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { OperatorContext } from '../common/context.ts';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../common/finalizers.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { resolveTag, tagInUse } from './tag.ts';

export const fieldManager = 'ambit-istiorevisiontag';

export async function reconcileIstioRevisionTag(
  ctx: OperatorContext,
  key: string,
  log: Logger,
): Promise<ReconcileResult> {
  // Observe.
  const tag = ctx.caches.tags.get(key);
  if (!tag) return {};
  if (tag.metadata.deletionTimestamp) {
    await removeFinalizer(ctx, tag, fieldManager);
    return {};
  }
  if (!hasFinalizer(tag)) await addFinalizer(ctx, tag, fieldManager);

  // Compute.
  const target = resolveTag(
    tag,
    (n) => ctx.caches.istios.get(n),
    (n) => ctx.caches.revisions.get(n),
  );
  const reconciled: ConditionInput = target.ok
    ? { type: 'Reconciled', status: 'True', reason: 'Reconciled', message: '' }
    : { type: 'Reconciled', status: 'False', reason: target.reason, message: target.message };
  const conditions = [reconciled, tagInUse(tag.metadata.name, ctx.caches.namespaces.list())];
  const generation = tag.metadata.generation ?? 0;
  const status = {
    observedGeneration: generation,
    conditions: mergeConditions(
      (tag['status'] as { conditions?: Condition[] } | undefined)?.conditions,
      conditions,
      generation,
      ctx.now(),
    ),
    state: deriveState(conditions, ['Reconciled', 'InUse']),
    istioRevision: target.ok ? target.revision : '',
    istiodNamespace: target.ok ? target.namespace : '',
  };

  // Report (there is nothing to apply).
  if (await applyStatusIfChanged(ctx.client, tag, status, fieldManager))
    log.info('status', { state: status.state, revision: status.istioRevision });
  if (!target.ok) await ctx.events.record(tag, 'Warning', target.reason, 'Reconcile', target.message);
  return {};
}
