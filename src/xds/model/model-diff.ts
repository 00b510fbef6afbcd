// What changed between two mesh models, so a push regenerates only the waypoints it concerns: Services and
// workloads compared by content, and everything else (routes, policies, the waypoint list, mesh settings) as one
// "global" fingerprint whose change concerns every waypoint. Pure.
import type { MeshModel, Waypoint } from './model.ts';

export interface ModelDiff {
  global: boolean;
  /** Hostnames of Services added, removed or changed. */
  services: Set<string>;
  /** UIDs of workloads added, removed or changed. */
  workloads: Set<string>;
}

export interface Fingerprints {
  global: string;
  /** By `<namespace>/<hostname>`: ServiceEntries in two namespaces may share a hostname. */
  services: Map<string, string>;
  workloads: Map<string, string>;
}

export function fingerprints(model: MeshModel): Fingerprints {
  const { services, workloads, ...rest } = model;
  return {
    global: JSON.stringify(rest),
    services: new Map(services.map((s) => [`${s.namespace}/${s.hostname}`, JSON.stringify(s)])),
    workloads: new Map(workloads.map((w) => [w.uid, JSON.stringify(w)])),
  };
}

// The hostname part of a `<namespace>/<hostname>` key (namespaces have no slash).
const hostOf = (k: string) => k.slice(k.indexOf('/') + 1);

function changedKeys(a: Map<string, string>, b: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of a) if (b.get(k) !== v) out.add(k);
  for (const k of b.keys()) if (!a.has(k)) out.add(k);
  return out;
}

export function diffModels(prev: Fingerprints, next: Fingerprints): ModelDiff {
  return {
    global: prev.global !== next.global,
    services: new Set([...changedKeys(prev.services, next.services)].map(hostOf)),
    workloads: changedKeys(prev.workloads, next.workloads),
  };
}

/**
 * Whether a waypoint's configuration may have changed: a global change, or a change to a Service it serves or
 * routes to, or to a workload it serves.
 */
export function waypointAffected(diff: ModelDiff, waypoint: Waypoint, model: MeshModel): boolean {
  if (diff.global) return true;
  if (waypoint.workloads.some((w) => diff.workloads.has(w))) return true;
  if (diff.services.size === 0) return false;
  const served = new Set(waypoint.services);
  if (waypoint.services.some((h) => diff.services.has(h))) return true;
  // Routes of its Services may send traffic to others (outbound clusters carry their endpoints).
  return model.routes.some(
    (t) => served.has(t.host) && t.rules.some((r) => r.backends.some((b) => diff.services.has(b.host))),
  );
}
