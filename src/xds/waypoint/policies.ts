// Which AuthorizationPolicies a waypoint enforces: only targetRef policies (selector and namespace policies are
// ztunnel's). A Gateway target in the waypoint's namespace and the istio-waypoint GatewayClass in the root namespace
// cover every chain; a Service (or ServiceEntry) target in its namespace covers that Service's (every host's) chains.
import type { AuthorizationPolicy, MeshModel, Service, Waypoint } from '../model/model.ts';
import { indexModel, key, type ModelIndex } from './model-index.ts';
import { unevaluable } from './rbac-rules.ts';

/** The policies on every chain of `waypoint`. */
export function waypointPolicies(index: ModelIndex, waypoint: Waypoint): AuthorizationPolicy[] {
  const own = index.policiesByGateway.get(key(waypoint.namespace, waypoint.name)) ?? [];
  return merge(own, index.policiesForClass);
}

/** The policies on `service`'s chains, given the waypoint-wide ones. */
export function servicePolicies(
  index: ModelIndex,
  waypointWide: AuthorizationPolicy[],
  service: Service,
): AuthorizationPolicy[] {
  return merge(waypointWide, targeting(index, service));
}

/** The policies whose targetRefs name the Service, or the ServiceEntry it comes from. */
function targeting(index: ModelIndex, service: Service): AuthorizationPolicy[] {
  const byTarget = service.serviceEntry ? index.policiesByServiceEntry : index.policiesByService;
  return byTarget.get(key(service.namespace, service.name)) ?? [];
}

function merge(a: AuthorizationPolicy[], b: AuthorizationPolicy[]): AuthorizationPolicy[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const names = (p: AuthorizationPolicy) => key(p.namespace, p.name);
  return [...new Map([...a, ...b].map((p) => [names(p), p])).values()].sort((x, y) =>
    names(x) < names(y) ? -1 : names(x) > names(y) ? 1 : 0,
  );
}

export interface UnsupportedPolicy {
  /** `<ns>/<name>`. */
  policy: string;
  reason: string;
}

/** Why a policy attached to `waypoint` is skipped, or only partly enforced: for the policy's status. */
export function unsupportedPolicies(
  model: MeshModel,
  waypoint: Waypoint,
  index: ModelIndex = indexModel(model),
): UnsupportedPolicy[] {
  const wide = waypointPolicies(index, waypoint);
  const attached = new Map(wide.map((p) => [key(p.namespace, p.name), p]));
  for (const service of index.servicesByWaypoint.get(key(waypoint.namespace, waypoint.name)) ?? []) {
    for (const p of targeting(index, service)) {
      attached.set(key(p.namespace, p.name), p);
    }
  }
  const out: UnsupportedPolicy[] = [];
  for (const [name, policy] of [...attached].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const reason = whyUnsupported(policy);
    if (reason) out.push({ policy: name, reason });
  }
  return out;
}

function whyUnsupported(policy: AuthorizationPolicy): string | undefined {
  switch (policy.action) {
    case 'CUSTOM':
      return 'action CUSTOM (external authorization) is not supported on waypoints; the policy is ignored';
    case 'AUDIT':
      return 'action AUDIT needs an audit logger this waypoint does not have; the policy is ignored';
    case 'ALLOW':
    case 'DENY': {
      const parts = [...new Set(policy.rules.flatMap(unevaluable))];
      if (parts.length === 0) return undefined;
      const effect =
        policy.action === 'ALLOW'
          ? 'the rules using them never match'
          : 'they are left out of the rules, which deny more';
      return `not supported on waypoints: ${parts.join(', ')}; ${effect}`;
    }
  }
}

/** The policies that become RBAC filters: ALLOW and DENY. */
export const enforced = (policies: AuthorizationPolicy[]): AuthorizationPolicy[] =>
  policies.filter((p) => p.action === 'ALLOW' || p.action === 'DENY');
