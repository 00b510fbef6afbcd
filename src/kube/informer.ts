// A list-watch cache of one resource. Unlike client-node's informer it never stops for good: a failed list or a
// dropped watch is retried with backoff, a 410 (resource version too old) relists at once, a silent connection is
// cut after a bounded idle time, and a periodic resync replays every object so a missed event cannot stick.
import type { Logger } from 'winston';
import { ApiError, isGone, type ApiClient } from './api-client.ts';
import { KubeClient } from './client.ts';
import { objectKey, type KubeObject } from './objects.ts';
import { resourcePath, type Resource } from './resources.ts';

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** How often every cached object is replayed as an update (0: never). */
  resyncMs?: number;
  /** Cache only metadata (the API server sends PartialObjectMetadata): to know what exists, at little memory. */
  metadataOnly?: boolean;
}

const metadataAccept = (kind: string) => `application/json;as=${kind};g=meta.k8s.io;v=v1,application/json`;

export interface InformerHandler<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; reason?: string; message?: string };
}

const minBackoffMs = 200;
const maxBackoffMs = 30_000;

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly client: KubeClient;
  private abort = new AbortController();
  private running = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;

  private readonly api: ApiClient;
  readonly resource: Resource;
  private readonly opts: InformerOptions;
  private readonly log: Logger;

  constructor(api: ApiClient, resource: Resource, opts: InformerOptions, log: Logger) {
    this.api = api;
    this.resource = resource;
    this.opts = opts;
    this.log = log;
    this.client = new KubeClient(api);
  }

  on(handler: InformerHandler<T>): this {
    this.handlers.push(handler);
    return this;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache. */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(filter?: (o: T) => boolean): T[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    void this.loop();
    if (this.opts.resyncMs) {
      this.resyncTimer = setInterval(() => {
        for (const o of this.cache.values()) this.emit('update', o, o);
      }, this.opts.resyncMs);
      this.resyncTimer.unref();
    }
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
    clearInterval(this.resyncTimer);
  }

  private async loop(): Promise<void> {
    let backoff = minBackoffMs;
    while (this.running) {
      try {
        const resourceVersion = await this.relist();
        backoff = minBackoffMs;
        await this.watchFrom(resourceVersion);
      } catch (err) {
        if (this.abort.signal.aborted) return;
        if (isGone(err)) continue;
        this.log.warn('list/watch failed; retrying', {
          resource: this.resource.plural,
          error: (err as Error).message,
          retryInMs: backoff,
        });
        await sleep(backoff * (0.8 + Math.random() * 0.4), this.abort.signal);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }

  /** Lists everything and reconciles the cache with it, emitting only real changes. */
  private async relist(): Promise<string> {
    const { items, metadata } = await this.client.listAll<T>(this.resource, {
      namespace: this.opts.namespace,
      ...this.selectors(),
      ...(this.opts.metadataOnly ? { accept: metadataAccept('PartialObjectMetadataList') } : {}),
    });
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.withKind(item);
      const key = objectKey(obj);
      seen.add(key);
      this.store(key, obj);
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    }
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
    return metadata.resourceVersion;
  }

  /** Watches until the server ends the stream; re-watches from the last resource version seen. */
  private async watchFrom(resourceVersion: string): Promise<void> {
    let rv = resourceVersion;
    while (this.running) {
      const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
      const end = { gone: false };
      await this.api.watch(
        resourcePath(this.resource, this.opts.namespace),
        { ...this.selectors(), resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds },
        (line) => {
          const event = JSON.parse(line) as WatchEvent<T>;
          if (event.type === 'ERROR') {
            end.gone = event.object.code === 410;
            if (!end.gone)
              throw new ApiError(
                event.object.code ?? 0,
                event.object.reason ?? 'WatchError',
                event.object.message ?? line,
              );
            return;
          }
          rv = event.object.metadata.resourceVersion ?? rv;
          if (event.type === 'BOOKMARK') return;
          const obj = this.withKind(event.object);
          const key = objectKey(obj);
          if (event.type === 'DELETED') {
            this.cache.delete(key);
            this.emit('delete', obj);
          } else {
            this.store(key, obj);
          }
        },
        this.abort.signal,
        (timeoutSeconds + 30) * 1000,
        this.opts.metadataOnly ? metadataAccept('PartialObjectMetadata') : undefined,
      );
      if (end.gone) throw new ApiError(410, 'Expired', 'watch resource version too old');
    }
  }

  private store(key: string, obj: T): void {
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) this.emit('add', obj);
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', old, obj);
  }

  /** List items come without apiVersion/kind; managedFields are dropped to keep the cache small. */
  private withKind(item: T): T {
    const { managedFields, ...metadata } = item.metadata as T['metadata'] & { managedFields?: unknown };
    const apiVersion = this.resource.group ? `${this.resource.group}/${this.resource.version}` : this.resource.version;
    return { ...item, apiVersion, kind: this.resource.kind, metadata };
  }

  private selectors() {
    return { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
  }

  private emit(kind: 'add' | 'delete', obj: T): void;
  private emit(kind: 'update', oldObj: T, newObj: T): void;
  private emit(kind: 'add' | 'update' | 'delete', a: T, b?: T): void {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(a);
        else if (kind === 'delete') h.delete?.(a);
        else h.update?.(a, b!);
      } catch (err) {
        this.log.error('informer handler failed', { resource: this.resource.plural, error: (err as Error).message });
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
