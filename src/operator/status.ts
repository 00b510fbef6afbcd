// Status writes: a server-side apply of our status fields, skipped when they already read as computed.
import { isDeepStrictEqual } from 'node:util';
import { isNotFound } from '../kube/api-client.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { OperatorContext } from './context.ts';

export async function applyStatusIfChanged(
  ctx: OperatorContext,
  obj: KubeObject,
  status: Record<string, unknown>,
  fieldManager: string,
): Promise<boolean> {
  const current = (obj['status'] ?? {}) as Record<string, unknown>;
  const unchanged = Object.entries(status).every(([k, v]) => isDeepStrictEqual(stripUndefined(v), current[k]));
  if (unchanged) return false;
  try {
    await ctx.client.applyStatus(
      {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        metadata: { name: obj.metadata.name },
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
