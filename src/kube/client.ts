// Typed operations on the API server: get, list, server-side apply (objects and /status), delete, and the plain
// writes leader election needs. Every write names its field manager.
import type { ApiClient } from './api-client.ts';
import { isGone, isNotFound } from './api-client.ts';
import type { KubeObject } from './objects.ts';
import { resourceOf, resourcePath, type Resource } from './resources.ts';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** The Accept header, e.g. to list as PartialObjectMetadataList. */
  accept?: string;
}

export interface ObjectList<T> {
  items: T[];
  metadata: { resourceVersion: string; continue?: string };
}

/** A list page as the API server may send it: `items` null for an empty metadata-only list. */
export type ListPage<T> = { items?: T[] | null; metadata?: { resourceVersion?: string; continue?: string } };

const applyPatch = 'application/apply-patch+yaml';
/** How often a list whose continue token expired starts over before the error is the caller's. */
const maxListRestarts = 3;

export class KubeClient {
  readonly api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObject>(res: Resource, name: string, namespace?: string): Promise<T | undefined> {
    try {
      return await this.api.request<T>({ method: 'GET', path: resourcePath(res, namespace, name) });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** One page of a list; `listAll` follows `continue` tokens. */
  list<T extends KubeObject>(res: Resource, opts: ListOptions = {}): Promise<ListPage<T>> {
    const { namespace, accept, ...query } = opts;
    return this.api.request<ListPage<T>>({
      method: 'GET',
      path: resourcePath(res, namespace),
      query: { ...query },
      ...(accept ? { accept } : {}),
    });
  }

  /**
   * Every page of a list. Tolerates what API servers send: `items: null` (a metadata-only list of nothing), empty
   * pages with a continue token, and 410 Gone for a continue token that expired mid-list (the list starts over, a
   * few times at most, as client-go's pager does).
   */
  async listAll<T extends KubeObject>(res: Resource, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const limit = opts.limit ?? 500;
    for (let attempt = 1; ; attempt++) {
      const items: T[] = [];
      let token: string | undefined;
      try {
        for (;;) {
          const page = await this.list<T>(res, { ...opts, limit, ...(token ? { continue: token } : {}) });
          items.push(...(page.items ?? []));
          token = page.metadata?.continue || undefined;
          if (!token) return { items, metadata: { resourceVersion: page.metadata?.resourceVersion ?? '' } };
        }
      } catch (err) {
        if (!(token && isGone(err) && attempt < maxListRestarts)) throw err;
      }
    }
  }

  /** Server-side apply of the full intent. `force` takes fields from other managers: only for objects we own. */
  apply<T extends KubeObject>(obj: KubeObject, fieldManager: string, force: boolean): Promise<T> {
    const res = resourceOf(obj);
    return this.api.request<T>({
      method: 'PATCH',
      path: resourcePath(res, obj.metadata.namespace, obj.metadata.name),
      query: { fieldManager, force },
      body: obj,
      contentType: applyPatch,
    });
  }

  /** Server-side apply on /status: only the status fields this manager sets. */
  applyStatus<T extends KubeObject>(obj: KubeObject, fieldManager: string): Promise<T> {
    const res = resourceOf(obj);
    return this.api.request<T>({
      method: 'PATCH',
      path: resourcePath(res, obj.metadata.namespace, obj.metadata.name, 'status'),
      query: { fieldManager, force: true },
      body: obj,
      contentType: applyPatch,
    });
  }

  /** A JSON merge patch, e.g. of metadata.finalizers with the resourceVersion as a precondition. */
  mergePatch<T extends KubeObject>(
    res: Resource,
    name: string,
    namespace: string | undefined,
    patch: object,
    fieldManager: string,
  ): Promise<T> {
    return this.api.request<T>({
      method: 'PATCH',
      path: resourcePath(res, namespace, name),
      query: { fieldManager },
      body: patch,
      contentType: 'application/merge-patch+json',
    });
  }

  create<T extends KubeObject>(obj: KubeObject, fieldManager: string): Promise<T> {
    return this.api.request<T>({
      method: 'POST',
      path: resourcePath(resourceOf(obj), obj.metadata.namespace),
      query: { fieldManager },
      body: obj,
    });
  }

  /** A full update carrying metadata.resourceVersion: fails with 409 when someone wrote in between. */
  replace<T extends KubeObject>(obj: KubeObject, fieldManager: string): Promise<T> {
    return this.api.request<T>({
      method: 'PUT',
      path: resourcePath(resourceOf(obj), obj.metadata.namespace, obj.metadata.name),
      query: { fieldManager },
      body: obj,
    });
  }

  /**
   * Deletes the object; one that is already gone counts as deleted. `Foreground` keeps it until its dependents
   * (a DaemonSet's pods) are gone, so whoever waits for it waits for them too.
   */
  async delete(
    res: Resource,
    name: string,
    namespace?: string,
    propagationPolicy: 'Background' | 'Foreground' = 'Background',
  ): Promise<void> {
    try {
      await this.api.request({
        method: 'DELETE',
        path: resourcePath(res, namespace, name),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
