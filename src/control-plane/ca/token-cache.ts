// Reviewed tokens kept for reuse, so a proxy that reconnects (or asks the CA again) costs no TokenReview: an
// accepted token is remembered until it expires, at most `maxSeconds` so a revoked bound token (its pod deleted) stops
// working within that bound, and at most `maxEntries` tokens (least recently used go first). Refusals are never kept.
// Keys are SHA-256 digests: no token is held in memory.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface TokenCacheLimits {
  maxEntries: number;
  maxSeconds: number;
}

/** The `exp` claim of a JWT (seconds since the epoch), when it has one; the signature is the API server's to check. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** Wraps `review` (which throws to refuse) with the cache; concurrent reviews of one token share one request. */
export function cachedTokenReview<Identity extends object>(
  review: (token: string) => Promise<Identity>,
  limits: TokenCacheLimits = { maxEntries: 10_000, maxSeconds: 300 },
  now: () => number = () => Date.now(),
): (token: string) => Promise<Identity> {
  const accepted = new LRUCache<string, Identity>({ max: limits.maxEntries, perf: { now }, ttlResolution: 0 });
  const inFlight = new Map<string, Promise<Identity>>();
  return (token) => {
    const key = createHash('sha256').update(token).digest('base64');
    const known = accepted.get(key);
    if (known) return Promise.resolve(known);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const reviewed = review(token)
      .then((identity) => {
        const exp = jwtExpiry(token);
        const lifeMs = exp === undefined ? limits.maxSeconds * 1000 : exp * 1000 - now();
        const ttl = Math.min(lifeMs, limits.maxSeconds * 1000);
        if (ttl > 0) accepted.set(key, identity, { ttl });
        return identity;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, reviewed);
    return reviewed;
  };
}
