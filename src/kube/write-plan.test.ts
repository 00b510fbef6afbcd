import { describe, expect, test } from '@jest/globals';
import { ApiError, isInvalid } from './api-client.ts';
import { settleAll } from './write-plan.ts';

const after = (ms: number, fail?: string) =>
  new Promise<void>((resolve, reject) => setTimeout(() => (fail ? reject(new Error(fail)) : resolve()), ms));

describe('settleAll', () => {
  test('every write settles first; failures are reported in the order given, whichever failed first', async () => {
    const order: string[] = [];
    const slow = after(30, 'Deployment "wp" is invalid').finally(() => order.push('deployment'));
    const fast = after(1, 'HorizontalPodAutoscaler "wp" is invalid').finally(() => order.push('hpa'));
    const ok = after(10).finally(() => order.push('service'));
    await expect(settleAll([slow, ok, fast])).rejects.toThrow(
      'Deployment "wp" is invalid; HorizontalPodAutoscaler "wp" is invalid',
    );
    expect(order).toEqual(['hpa', 'service', 'deployment']);
  });

  test('failures the API server refused as invalid stay recognisable when several are reported together', async () => {
    const invalid = (what: string) => Promise.reject(new ApiError(422, 'Invalid', `${what} is invalid`));
    const both = await settleAll([invalid('Deployment "wp"'), invalid('HorizontalPodAutoscaler "wp"')]).catch(
      (e: unknown) => e,
    );
    expect(isInvalid(both)).toBe(true);
    const mixed = await settleAll([
      invalid('Deployment "wp"'),
      Promise.reject(new ApiError(500, 'InternalError', 'etcd')),
    ]).catch((e: unknown) => e);
    expect(isInvalid(mixed)).toBe(false);
  });

  test('one failure is rethrown as it is (its status code intact); none resolves', async () => {
    const conflict = Object.assign(new Error('conflict'), { code: 409 });
    await expect(settleAll([after(1), Promise.reject(conflict)])).rejects.toBe(conflict);
    await expect(settleAll([after(1), after(2)])).resolves.toBeUndefined();
  });
});
