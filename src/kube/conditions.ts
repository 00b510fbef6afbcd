// Status conditions with Kubernetes' rules: lastTransitionTime changes only when the status flips, every condition
// carries the generation it was computed for, and reasons are CamelCase tokens (the API server refuses others).
import type { Condition } from '../api/kube-types.ts';

export type ConditionStatus = Condition['status'];

export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

const reasonPattern = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export function isValidReason(reason: string): boolean {
  return reason.length <= 1024 && reasonPattern.test(reason);
}

/** RFC 3339 at one-second precision, as metav1.Time serialises. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The conditions in `next` order, each keeping its previous lastTransitionTime unless its status changed. Conditions
 * of other types in `previous` are dropped: the caller states every condition it owns.
 */
export function mergeConditions(
  previous: Condition[] | undefined,
  next: ConditionInput[],
  generation: number,
  now: Date,
): Condition[] {
  return next.map((c) => {
    if (!isValidReason(c.reason)) throw new Error(`condition ${c.type}: invalid reason "${c.reason}"`);
    const old = previous?.find((p) => p.type === c.type);
    const lastTransitionTime =
      old?.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : timestamp(now);
    return {
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime,
      observedGeneration: generation,
    };
  });
}

/** Sail's status.state: the reason of the first condition (in `order`) that is not True, else Healthy. */
export function deriveState(conditions: ConditionInput[], order: string[]): string {
  for (const type of order) {
    const c = conditions.find((x) => x.type === type);
    if (c && c.status !== 'True') return c.reason;
  }
  return 'Healthy';
}

export function findCondition<T extends { type: string }>(conditions: T[] | undefined, type: string): T | undefined {
  return conditions?.find((c) => c.type === type);
}
