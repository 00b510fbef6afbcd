// A program's caches as one set: each made alike (one resync period, an optional label selector, metadata only when
// asked), and all started, synced and stopped together. The operator's and the control plane's caches extend it.
import type { Logger } from 'winston';
import type { ApiClient } from './api-client.ts';
import { Informer } from './informer.ts';
import type { KubeObject } from './objects.ts';
import type { Resource } from './resources.ts';

export abstract class InformerSet {
  private readonly api: ApiClient;
  private readonly log: Logger;
  private readonly resyncMs: number;

  protected constructor(api: ApiClient, log: Logger, resyncMs: number) {
    this.api = api;
    this.log = log;
    this.resyncMs = resyncMs;
  }

  /** Every informer of the set, each once. */
  abstract all(): Informer<KubeObject>[];

  protected informer(
    res: Resource,
    opts: { labelSelector?: string; metadataOnly?: boolean } = {},
  ): Informer<KubeObject> {
    return new Informer<KubeObject>(this.api, res, { resyncMs: this.resyncMs, ...opts }, this.log);
  }

  start(): void {
    for (const i of this.all()) i.start();
  }

  stop(): void {
    for (const i of this.all()) i.stop();
  }

  get synced(): boolean {
    return this.all().every((i) => i.hasSynced);
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.all().map((i) => i.waitForSync()));
  }
}
