// An Istio's status: the active revision's Reconciled, Ready and DependenciesHealthy (Sail copies them), unless the
// Istio's own reconcile failed, plus the revision counts. Never Ready while the active revision has not yet
// reconciled its latest spec. Pure.
import type { Condition } from '../../../src/api/kube-types.ts';
import { deriveState, findCondition, mergeConditions, type ConditionInput } from '../../../src/kube/conditions.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

interface RevisionStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  state?: string;
}

export interface IstioOutcome {
  istio: KubeObject;
  reconcileError: string | undefined;
  activeName: string;
  active: KubeObject | undefined;
  owned: KubeObject[];
  now: Date;
}

const order = ['Reconciled', 'Ready', 'DependenciesHealthy'];

export function istioStatus(o: IstioOutcome) {
  const generation = o.istio.metadata.generation ?? 0;
  const previous = (o.istio['status'] as { conditions?: Condition[] } | undefined)?.conditions;
  const conditions = o.reconcileError !== undefined ? failed(o.reconcileError) : fromRevision(o.active);
  const count = (type: string) =>
    o.owned.filter(
      (r) => findCondition((r['status'] as RevisionStatus | undefined)?.conditions, type)?.status === 'True',
    ).length;
  return {
    observedGeneration: generation,
    conditions: mergeConditions(previous, conditions, generation, o.now),
    state: deriveState(conditions, order),
    activeRevisionName: o.activeName,
    revisions: { total: o.owned.length, ready: count('Ready'), inUse: count('InUse') },
  };
}

function failed(message: string): ConditionInput[] {
  return [
    { type: 'Reconciled', status: 'False', reason: 'ReconcileError', message },
    {
      type: 'Ready',
      status: 'Unknown',
      reason: 'ReconcileError',
      message: 'cannot determine readiness due to reconciliation error',
    },
  ];
}

function fromRevision(rev: KubeObject | undefined): ConditionInput[] {
  const reconciled: ConditionInput = { type: 'Reconciled', status: 'True', reason: 'Reconciled', message: '' };
  if (!rev)
    return [
      reconciled,
      { type: 'Ready', status: 'False', reason: 'ActiveRevisionNotFound', message: 'active IstioRevision not found' },
    ];
  const status = (rev['status'] ?? {}) as RevisionStatus;
  if ((status.observedGeneration ?? -1) < (rev.metadata.generation ?? 0)) {
    return [
      reconciled,
      {
        type: 'Ready',
        status: 'False',
        reason: 'IstiodNotReady',
        message: 'the active IstioRevision has not reconciled its latest spec yet',
      },
    ];
  }
  return order.flatMap((type) => {
    const c = findCondition(status.conditions, type);
    return c ? [{ type, status: c.status, reason: c.reason ?? type, message: c.message ?? '' }] : [];
  });
}
