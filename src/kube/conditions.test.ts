import { describe, expect, test } from '@jest/globals';
import { deriveState, isValidReason, mergeConditions, timestamp } from './conditions.ts';

const t0 = new Date('2026-12-01T10:00:00.123Z');
const t1 = new Date('2026-12-01T10:05:00.999Z');

describe('conditions', () => {
  test('lastTransitionTime is kept while the status stays, and moves when it flips', () => {
    const first = mergeConditions(
      undefined,
      [{ type: 'Ready', status: 'False', reason: 'IstiodNotReady', message: 'm1' }],
      1,
      t0,
    );
    expect(first).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'IstiodNotReady',
        message: 'm1',
        lastTransitionTime: '2026-12-01T10:00:00Z',
        observedGeneration: 1,
      },
    ]);
    const same = mergeConditions(
      first,
      [{ type: 'Ready', status: 'False', reason: 'IstiodNotReady', message: 'm2' }],
      2,
      t1,
    );
    expect(same[0]).toMatchObject({ lastTransitionTime: '2026-12-01T10:00:00Z', message: 'm2', observedGeneration: 2 });
    const flipped = mergeConditions(same, [{ type: 'Ready', status: 'True', reason: 'Ready', message: '' }], 2, t1);
    expect(flipped[0]?.lastTransitionTime).toBe(timestamp(t1));
  });

  test('reasons must be CamelCase tokens the API server accepts', () => {
    expect(isValidReason('DaemonSetNotReady')).toBe(true);
    expect(isValidReason('a:b_c,D')).toBe(true);
    expect(isValidReason('not ready')).toBe(false);
    expect(isValidReason('Not-Ready')).toBe(false);
    expect(() =>
      mergeConditions(undefined, [{ type: 'Ready', status: 'False', reason: 'bad reason', message: '' }], 1, t0),
    ).toThrow('invalid reason');
  });

  test("state is the first non-True condition's reason in the given order, else Healthy", () => {
    const conds = [
      { type: 'Reconciled', status: 'True' as const, reason: 'Reconciled', message: '' },
      { type: 'Ready', status: 'False' as const, reason: 'IstiodNotReady', message: '' },
      { type: 'DependenciesHealthy', status: 'False' as const, reason: 'IstioCNINotFound', message: '' },
    ];
    expect(deriveState(conds, ['Reconciled', 'Ready', 'DependenciesHealthy'])).toBe('IstiodNotReady');
    expect(deriveState(conds, ['Reconciled', 'DependenciesHealthy'])).toBe('IstioCNINotFound');
    expect(deriveState(conds, ['Reconciled'])).toBe('Healthy');
  });
});
