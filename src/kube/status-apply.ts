// Status writes: a server-side apply of our status fields, skipped when they already read as computed.
import { isDeepStrictEqual } from 'node:util';
import { isNotFound } from './api-client.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';

/** Applies `status` (only the fields given) unless every one already reads so; false when nothing was written. */
export async function applyStatusIfChanged(
  client: KubeClient,
  obj: KubeObject,
  status: Record<string, unknown>,
  fieldManager: string,
): Promise<boolean> {
  const current = (obj['status'] ?? {}) as Record<string, unknown>;
  const unchanged = Object.entries(status).every(([k, v]) => isDeepStrictEqual(stripUndefined(v), current[k]));
  if (unchanged) return false;
  const { name, namespace } = obj.metadata;
  try {
    await client.applyStatus(
      {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        metadata: { name, ...(namespace ? { namespace } : {}) },
        status: stripUndefined(status),
      },
      fieldManager,
    );
  } catch (err) {
    // Deleted since the cache saw it: nothing left to report on.
    if (isNotFound(err)) return false;
    throw err;
  }
  return true;
}

function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
