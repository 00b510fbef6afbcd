// A keyed work queue with controller-runtime's semantics: a key waits in the queue at most once however often it is
// added; a key being processed is never handed to a second worker, and one re-added meanwhile comes back after
// `done`; failures back off per key (5 ms doubling to 1000 s) under an overall 10 qps / 100 burst bucket.
import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from './metrics.ts';

const depth = new Gauge({
  name: 'workqueue_depth',
  help: 'Current depth of workqueue',
  labelNames: ['name'],
  registers: [metricsRegistry],
});
const adds = new Counter({
  name: 'workqueue_adds_total',
  help: 'Total number of adds handled by workqueue',
  labelNames: ['name'],
  registers: [metricsRegistry],
});
const retries = new Counter({
  name: 'workqueue_retries_total',
  help: 'Total number of retries handled by workqueue',
  labelNames: ['name'],
  registers: [metricsRegistry],
});
const latency = new Histogram({
  name: 'workqueue_queue_duration_seconds',
  help: 'How long in seconds an item stays in workqueue before being requested',
  labelNames: ['name'],
  buckets: [0.001, 0.01, 0.1, 1, 10, 100],
  registers: [metricsRegistry],
});

export interface RateLimiter {
  /** How long to wait before retrying `key` once more. */
  when(key: string): number;
  forget(key: string): void;
}

/** Per-key exponential backoff combined with a global token bucket; the longer wait wins. */
export class DefaultRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private last: number;

  constructor(baseMs = 5, maxMs = 1_000_000, qps = 10, burst = 100, now: () => number = Date.now) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.qps = qps;
    this.burst = burst;
    this.now = now;
    this.tokens = burst;
    this.last = now();
  }

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const exponential = Math.min(this.baseMs * 2 ** n, this.maxMs);
    return Math.max(exponential, this.bucketDelay());
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  private bucketDelay(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;

  readonly name: string;
  readonly limiter: RateLimiter;

  constructor(name: string, limiter: RateLimiter = new DefaultRateLimiter()) {
    this.name = name;
    this.limiter = limiter;
  }

  get length(): number {
    return this.queue.length;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    adds.inc({ name: this.name });
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.addedAt.set(key, Date.now());
    const waiter = this.waiters.shift();
    if (waiter) this.handOut(key, waiter);
    else {
      this.queue.push(key);
      depth.set({ name: this.name }, this.queue.length);
    }
  }

  /** Adds `key` after `ms`; of several pending delays for one key the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  addRateLimited(key: string): void {
    retries.inc({ name: this.name });
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** The next key to process, or undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      depth.set({ name: this.name }, this.queue.length);
      return new Promise((resolve) => this.handOut(key, resolve));
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; if it was added again meanwhile it goes back in the queue. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private handOut(key: string, to: (key: string) => void): void {
    this.dirty.delete(key);
    this.processing.add(key);
    latency.observe({ name: this.name }, (Date.now() - (this.addedAt.get(key) ?? Date.now())) / 1000);
    this.addedAt.delete(key);
    to(key);
  }
}
