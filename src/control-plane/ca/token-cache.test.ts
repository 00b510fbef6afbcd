import { describe, expect, test } from '@jest/globals';
import { cachedTokenReview, jwtExpiry } from './token-cache.ts';

/** An unsigned JWT with the claims given (the API server, not the cache, checks signatures). */
const jwt = (claims: object) =>
  ['{"alg":"none"}', JSON.stringify(claims), ''].map((p) => Buffer.from(p).toString('base64url')).join('.');

/** A review that counts its calls and accepts tokens starting with "ok". */
function reviewer() {
  const calls: string[] = [];
  const review = (token: string) => {
    calls.push(token);
    return token.startsWith('ok') || token.startsWith('ey')
      ? Promise.resolve({ namespace: 'app', serviceAccount: 'sleep' })
      : Promise.reject(new Error('refused'));
  };
  return { calls, review };
}

describe('cachedTokenReview', () => {
  test('an accepted token is reviewed once until its exp claim, and again after it', async () => {
    let now = 1_000_000;
    const { calls, review } = reviewer();
    const cached = cachedTokenReview(review, { maxEntries: 10, maxSeconds: 3600 }, () => now);
    const token = jwt({ exp: now / 1000 + 60 });
    await cached(token);
    now += 59_000;
    await cached(token);
    expect(calls).toHaveLength(1);
    now += 2_000;
    await cached(token);
    expect(calls).toHaveLength(2);
  });

  test('no token is kept longer than maxSeconds, whatever its exp', async () => {
    let now = 1_000_000;
    const { calls, review } = reviewer();
    const cached = cachedTokenReview(review, { maxEntries: 10, maxSeconds: 300 }, () => now);
    const token = jwt({ exp: 10 ** 9 });
    await cached(token);
    now += 301_000;
    await cached(token);
    expect(calls).toHaveLength(2);
  });

  test('a refusal is not kept: the next try asks again', async () => {
    const { calls, review } = reviewer();
    const cached = cachedTokenReview(review);
    await expect(cached('bad')).rejects.toThrow('refused');
    await expect(cached('bad')).rejects.toThrow('refused');
    expect(calls).toEqual(['bad', 'bad']);
  });

  test('concurrent checks of one token share one review; the oldest of too many tokens is forgotten', async () => {
    const { calls, review } = reviewer();
    const cached = cachedTokenReview(review, { maxEntries: 2, maxSeconds: 300 });
    await Promise.all([cached('ok-1'), cached('ok-1'), cached('ok-1')]);
    expect(calls).toEqual(['ok-1']);
    await cached('ok-2');
    await cached('ok-3');
    await cached('ok-1');
    expect(calls).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-1']);
  });

  test("jwtExpiry reads the exp claim, and nothing from what isn't a JWT", () => {
    expect(jwtExpiry(jwt({ exp: 1234 }))).toBe(1234);
    expect(jwtExpiry(jwt({ sub: 'x' }))).toBeUndefined();
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry('a.!!!.c')).toBeUndefined();
  });
});
