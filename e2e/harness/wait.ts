// Waiting on the API server's own events: a watch (our Informer) on one object or a selection, until a predicate
// holds. No sleeping, and a bounded time.
import type { KubeObject } from '../../src/kube/objects.ts';
import { Informer, type InformerOptions } from '../../src/kube/informer.ts';
import type { Resource } from '../../src/kube/resources.ts';
import { createLogger } from '../../src/kube/logger.ts';
import { testApiClient } from './cluster.ts';

const log = createLogger('error');

/** Resolves with the objects once `check(objects)` holds; rejects with what was last seen after `timeoutMs`. */
export async function watchUntil<T extends KubeObject = KubeObject>(
  resource: Resource,
  opts: InformerOptions,
  check: (objects: T[]) => boolean,
  timeoutMs = 30_000,
): Promise<T[]> {
  const informer = new Informer<T>(await testApiClient(), resource, opts, log);
  try {
    return await new Promise<T[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting on ${resource.plural}; last seen: ${JSON.stringify(informer.list()).slice(0, 2000)}`,
          ),
        );
      }, timeoutMs);
      const test = () => {
        if (!informer.hasSynced) return;
        const objects = informer.list();
        if (check(objects)) {
          clearTimeout(timer);
          resolve(objects);
        }
      };
      informer.on({ add: test, update: test, delete: test });
      informer.start();
      void informer.waitForSync().then(test);
    });
  } finally {
    informer.stop();
  }
}

/** One object by name: resolves with it once `check` holds (undefined = it does not exist). */
export async function watchObject<T extends KubeObject = KubeObject>(
  resource: Resource,
  name: string,
  namespace: string | undefined,
  check: (obj: T | undefined) => boolean,
  timeoutMs = 30_000,
): Promise<T | undefined> {
  const found = await watchUntil<T>(
    resource,
    { fieldSelector: `metadata.name=${name}`, ...(namespace ? { namespace } : {}) },
    (objects) => check(objects[0]),
    timeoutMs,
  );
  return found[0];
}

export const condition = (o: KubeObject | undefined, type: string) =>
  (
    (
      o?.['status'] as
        { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined
    )?.conditions ?? []
  ).find((c) => c.type === type);
