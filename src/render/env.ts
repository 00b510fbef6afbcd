// Container environment lists. A name may appear once (server-side apply keys env by name), so a later entry of the
// same name replaces the earlier one in its place: users' env beats what the renderer sets by default.

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export function envValue(name: string, value: string): EnvVar {
  return { name, value };
}

/** An env var from the pod's own fields (metadata.name, spec.nodeName, ...). */
export function envField(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/** An env var from a container resource (limits.cpu, requests.memory, ...), in whole units. */
export function envResource(name: string, resource: string): EnvVar {
  return { name, valueFrom: { resourceFieldRef: { resource, divisor: '1' } } };
}

/** A key/value map as env vars, sorted by name so the order never depends on how the map was written. */
export function envFromMap(map: Record<string, string> | undefined): EnvVar[] {
  return Object.keys(map ?? {})
    .sort()
    .map((name) => envValue(name, map?.[name] ?? ''));
}

/** The groups joined in order, each name once, at its first position with its last value. */
export function joinEnv(...groups: EnvVar[][]): EnvVar[] {
  const byName = new Map<string, EnvVar>();
  for (const env of groups.flat()) byName.set(env.name, env);
  return [...byName.values()];
}
