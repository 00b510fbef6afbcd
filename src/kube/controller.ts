// Runs a reconcile function over a work queue: level-triggered (a key is all a reconcile gets; it reads the world
// itself), errors back off per key, `requeueAfter` schedules a known wait. A controller is defined by its name, its
// reconcile and its watches, side by side; `Controller.from` wires a definition to a context. Metric names are
// controller-runtime's.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Logger } from 'winston';
import { metricsRegistry } from './metrics.ts';
import { subscribe, type Watch } from './watches.ts';
import { WorkQueue } from './workqueue.ts';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

/** `{}` when the object is where it should be; `requeueAfterMs` for a known wait. */
export type Reconcile = (key: string, log: Logger) => Promise<ReconcileResult>;

/** A controller as its module declares it: what it is called, how it reconciles a key, and what wakes it. */
export interface ControllerDefinition<Context> {
  name: string;
  /** Concurrent reconciles (of different keys); the manager's default when unset. */
  workers?: number;
  reconcile: (ctx: Context, key: string, log: Logger) => Promise<ReconcileResult>;
  watches: (ctx: Context) => Watch[];
  /** Keys reconciled once at start, whether or not anything wakes them. */
  initialKeys?: readonly string[];
}

const reconcileTotal = new Counter({
  name: 'controller_runtime_reconcile_total',
  help: 'Total number of reconciliations per controller',
  labelNames: ['controller', 'result'],
  registers: [metricsRegistry],
});
const reconcileErrors = new Counter({
  name: 'controller_runtime_reconcile_errors_total',
  help: 'Total number of reconciliation errors per controller',
  labelNames: ['controller'],
  registers: [metricsRegistry],
});
const reconcileTime = new Histogram({
  name: 'controller_runtime_reconcile_time_seconds',
  help: 'Length of time per reconciliation per controller',
  labelNames: ['controller'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});
const activeWorkers = new Gauge({
  name: 'controller_runtime_active_workers',
  help: 'Number of currently used workers per controller',
  labelNames: ['controller'],
  registers: [metricsRegistry],
});

export class Controller {
  readonly queue: WorkQueue;
  private stopped: Promise<void> | undefined;

  readonly name: string;
  private readonly reconcile: Reconcile;
  private readonly log: Logger;
  private readonly workers: number;

  constructor(name: string, reconcile: Reconcile, log: Logger, workers = 1) {
    this.name = name;
    this.reconcile = reconcile;
    this.log = log;
    this.workers = workers;
    this.queue = new WorkQueue(name);
  }

  /** The controller a definition describes, reconciling with `ctx`, subscribed to its watches. */
  static from<Context>(def: ControllerDefinition<Context>, ctx: Context, log: Logger, workers: number): Controller {
    const controller = new Controller(def.name, (key, l) => def.reconcile(ctx, key, l), log, def.workers ?? workers);
    for (const watch of def.watches(ctx)) subscribe(watch, (key) => controller.enqueue(key));
    for (const key of def.initialKeys ?? []) controller.enqueue(key);
    return controller;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    this.stopped ??= Promise.all(Array.from({ length: this.workers }, () => this.work())).then(() => undefined);
  }

  /** Stops taking keys and waits for the reconciles in flight. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.stopped;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      activeWorkers.inc({ controller: this.name });
      const end = reconcileTime.startTimer({ controller: this.name });
      const log = this.log.child({ controller: this.name, key });
      try {
        const result = await this.reconcile(key, log);
        this.queue.forget(key);
        if (result.requeueAfterMs !== undefined) {
          reconcileTotal.inc({ controller: this.name, result: 'requeue_after' });
          this.queue.addAfter(key, result.requeueAfterMs);
        } else {
          reconcileTotal.inc({ controller: this.name, result: 'success' });
        }
      } catch (err) {
        reconcileErrors.inc({ controller: this.name });
        reconcileTotal.inc({ controller: this.name, result: 'error' });
        log.error('reconcile failed; retrying with backoff', { error: (err as Error).message });
        this.queue.addRateLimited(key);
      } finally {
        end();
        activeWorkers.dec({ controller: this.name });
        this.queue.done(key);
      }
    }
  }
}
