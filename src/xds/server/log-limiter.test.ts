import { describe, expect, test } from '@jest/globals';
import { LogLimiter } from './log-limiter.ts';

describe('LogLimiter', () => {
  test('lets a peer through perWindow times a window, then counts what it holds back for the next line', () => {
    let now = 0;
    const limiter = new LogLimiter({ perWindow: 2, windowMs: 1_000, maxPeers: 10 }, () => now);
    expect(limiter.allow('a')).toEqual({ log: true, suppressed: 0 });
    expect(limiter.allow('a')).toEqual({ log: true, suppressed: 0 });
    expect(limiter.allow('a')).toEqual({ log: false });
    expect(limiter.allow('a')).toEqual({ log: false });
    expect(limiter.allow('b')).toEqual({ log: true, suppressed: 0 });
    now = 1_000;
    expect(limiter.allow('a')).toEqual({ log: true, suppressed: 2 });
    expect(limiter.allow('a')).toEqual({ log: true, suppressed: 0 });
  });

  test('keeps no state for peers whose window has passed, and never more than maxPeers', () => {
    let now = 0;
    const limiter = new LogLimiter({ perWindow: 1, windowMs: 1_000, maxPeers: 100 }, () => now);
    for (let i = 0; i < 5_000; i++) {
      now = i;
      limiter.allow(`peer-${String(i)}`);
      expect(limiter.peers).toBeLessThanOrEqual(101);
    }
    now = 10_000;
    limiter.allow('late');
    expect(limiter.peers).toBe(1);
  });
});
