import { describe, expect, test } from '@jest/globals';
import { DefaultRateLimiter, WorkQueue } from './workqueue.ts';

describe('WorkQueue', () => {
  test('a key waits in the queue once however often it is added', async () => {
    const q = new WorkQueue('t1');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  test('a key in processing is not handed out again; re-added meanwhile, it returns after done', async () => {
    const q = new WorkQueue('t2');
    q.add('a');
    const key = await q.get();
    q.add('a');
    q.add('a');
    expect(q.length).toBe(0);
    q.done(key!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.length).toBe(0);
  });

  test('a waiting worker gets a key added later', async () => {
    const q = new WorkQueue('t3');
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
  });

  test('addAfter delays, and the earliest of two delays wins', async () => {
    const q = new WorkQueue('t4');
    q.addAfter('k', 10_000);
    q.addAfter('k', 20);
    const start = Date.now();
    expect(await q.get()).toBe('k');
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  test('shutDown releases waiting workers with undefined', async () => {
    const q = new WorkQueue('t5');
    const pending = q.get();
    q.shutDown();
    expect(await pending).toBeUndefined();
    q.add('late');
    expect(q.length).toBe(0);
  });
});

describe('DefaultRateLimiter', () => {
  test('backs off per key exponentially from 5 ms, and forget resets it', () => {
    let now = 0;
    const l = new DefaultRateLimiter(5, 1_000_000, 1_000_000, 1_000_000, () => now);
    expect([l.when('a'), l.when('a'), l.when('a'), l.when('a')]).toEqual([5, 10, 20, 40]);
    expect(l.when('b')).toBe(5);
    l.forget('a');
    expect(l.when('a')).toBe(5);
    now += 1;
  });

  test('the exponential delay is capped', () => {
    const l = new DefaultRateLimiter(5, 100, 1_000_000, 1_000_000);
    for (let i = 0; i < 10; i++) l.when('a');
    expect(l.when('a')).toBe(100);
  });

  test('past the burst, the token bucket spaces retries at the qps rate', () => {
    const now = 0;
    const l = new DefaultRateLimiter(1, 1, 10, 2, () => now);
    expect(l.when('a')).toBe(1);
    expect(l.when('b')).toBe(1);
    expect(l.when('c')).toBe(100);
    expect(l.when('d')).toBe(200);
  });
});
