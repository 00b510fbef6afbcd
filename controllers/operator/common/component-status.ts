// The status of a component CR (IstioCNI, ZTunnel, IstioRevision): Reconciled from the reconcile's outcome, Ready
// from its workload, and Sail's state. Pure.
import type { Condition } from '../../../src/api/kube-types.ts';
import { deriveState, mergeConditions, type ConditionInput } from '../../../src/kube/conditions.ts';
import type { Readiness } from './readiness.ts';

export interface ComponentOutcome {
  generation: number;
  previous: Condition[] | undefined;
  /** Why the last reconcile could not finish; undefined when it did. */
  reconcileError: string | undefined;
  readiness: Readiness;
  /** The Ready reason when not ready: DaemonSetNotReady or IstiodNotReady. */
  notReadyReason: string;
  /** More conditions that count for state (DependenciesHealthy), in order. */
  extra?: ConditionInput[];
  /** Conditions reported but not counted for state (InUse, warnings). */
  advisory?: ConditionInput[];
  now: Date;
}

export function reconciledCondition(error: string | undefined): ConditionInput {
  return error === undefined
    ? { type: 'Reconciled', status: 'True', reason: 'Reconciled', message: '' }
    : { type: 'Reconciled', status: 'False', reason: 'ReconcileError', message: error };
}

export function componentStatus(o: ComponentOutcome): {
  observedGeneration: number;
  conditions: Condition[];
  state: string;
} {
  const ready: ConditionInput = o.readiness.ready
    ? { type: 'Ready', status: 'True', reason: 'Ready', message: '' }
    : { type: 'Ready', status: 'False', reason: o.notReadyReason, message: o.readiness.message };
  const counted = [reconciledCondition(o.reconcileError), ready, ...(o.extra ?? [])];
  return {
    observedGeneration: o.generation,
    conditions: mergeConditions(o.previous, [...counted, ...(o.advisory ?? [])], o.generation, o.now),
    state: deriveState(
      counted,
      counted.map((c) => c.type),
    ),
  };
}
