// Status writes: a server-side apply of our status fields, skipped when they already read as computed. Two kinds of
// status: one we own whole (every field we give is compared), and a conditions list other writers share, keyed by
// type (only our conditions are compared, and leaving one out of the apply releases it).
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
  return applyStatus(client, obj, status, fieldManager);
}

/**
 * Applies our `conditions` of a shared conditions list unless each already reads so and none of the `released`
 * types is still there; false when nothing was written.
 */
export async function applyConditionsIfChanged(
  client: KubeClient,
  obj: KubeObject,
  conditions: { type: string }[],
  fieldManager: string,
  released: string[] = [],
): Promise<boolean> {
  const current = ((obj['status'] ?? {}) as { conditions?: { type: string }[] }).conditions ?? [];
  const unchanged =
    conditions.every((c) =>
      isDeepStrictEqual(
        stripUndefined(c),
        current.find((p) => p.type === c.type),
      ),
    ) && !current.some((p) => released.includes(p.type));
  if (unchanged) return false;
  return applyStatus(client, obj, { conditions }, fieldManager);
}

async function applyStatus(
  client: KubeClient,
  obj: KubeObject,
  status: Record<string, unknown>,
  fieldManager: string,
): Promise<boolean> {
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
