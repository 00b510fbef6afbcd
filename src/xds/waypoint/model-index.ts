// One pass over the model that every waypoint's generation shares: bound Services per waypoint, Services by
// hostname, route tables by host and port, and targetRef policies by what they target (a Service, a ServiceEntry). With it, generating for one
// waypoint costs what that waypoint serves, not the size of the mesh.
import type { AuthorizationPolicy, MeshModel, RouteTable, Service } from '../model/model.ts';

export interface ModelIndex {
  /** `<ns>/<name>` of a waypoint → the Services bound to it, oldest first (istiod's order). */
  servicesByWaypoint: Map<string, Service[]>;
  /** A hostname defined in several namespaces (ServiceEntries) resolves to its canonical definition. */
  serviceByHost: Map<string, Service>;
  /** `<host>:<port>` → its route table. */
  routes: Map<string, RouteTable>;
  /** `<ns>/<name>` of a Gateway → the policies targeting it. */
  policiesByGateway: Map<string, AuthorizationPolicy[]>;
  /** `<ns>/<name>` of a Service → the policies targeting it. */
  policiesByService: Map<string, AuthorizationPolicy[]>;
  /** `<ns>/<name>` of a ServiceEntry → the policies targeting it (all its hosts). */
  policiesByServiceEntry: Map<string, AuthorizationPolicy[]>;
  /** Policies in the root namespace targeting the istio-waypoint GatewayClass. */
  policiesForClass: AuthorizationPolicy[];
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const NETWORKING_GROUP = 'networking.istio.io';
export const WAYPOINT_CLASS = 'istio-waypoint';

export const key = (namespace: string, name: string): string => `${namespace}/${name}`;
export const routeKey = (host: string, port: number): string => `${host}:${port}`;

export function indexModel(model: MeshModel): ModelIndex {
  const index: ModelIndex = {
    servicesByWaypoint: new Map(),
    serviceByHost: new Map(),
    routes: new Map(),
    policiesByGateway: new Map(),
    policiesByService: new Map(),
    policiesByServiceEntry: new Map(),
    policiesForClass: [],
  };
  for (const service of model.services) {
    if (!index.serviceByHost.has(service.hostname) || canonical(service))
      index.serviceByHost.set(service.hostname, service);
    if (service.waypoint)
      push(index.servicesByWaypoint, key(service.waypoint.namespace, service.waypoint.name), service);
  }
  // A hostname two namespaces define (ServiceEntries) is served once, by its oldest definition, as istiod keys a
  // waypoint's services by hostname: its resource names would collide otherwise.
  for (const [k, services] of index.servicesByWaypoint) {
    const byHost = new Map<string, Service>();
    for (const s of services.sort(oldestFirst)) if (!byHost.has(s.hostname)) byHost.set(s.hostname, s);
    index.servicesByWaypoint.set(k, [...byHost.values()]);
  }
  for (const table of model.routes) {
    // The model merges routes per host and port already; should two tables collide, the first one wins.
    const k = routeKey(table.host, table.port);
    if (!index.routes.has(k)) index.routes.set(k, table);
  }
  for (const policy of [...model.authorizationPolicies].sort(byName)) {
    // A policy naming the same target twice attaches once.
    const seen = new Set<string>();
    for (const ref of policy.targetRefs) {
      const target = `${ref.group}/${ref.kind}/${ref.name}`;
      if (seen.has(target)) continue;
      seen.add(target);
      if (ref.kind === 'Gateway' && ref.group === GATEWAY_GROUP) {
        push(index.policiesByGateway, key(policy.namespace, ref.name), policy);
      } else if (ref.kind === 'Service' && ref.group === '') {
        push(index.policiesByService, key(policy.namespace, ref.name), policy);
      } else if (ref.kind === 'ServiceEntry' && ref.group === NETWORKING_GROUP) {
        push(index.policiesByServiceEntry, key(policy.namespace, ref.name), policy);
      } else if (
        ref.kind === 'GatewayClass' &&
        ref.group === GATEWAY_GROUP &&
        ref.name === WAYPOINT_CLASS &&
        policy.namespace === model.rootNamespace
      ) {
        index.policiesForClass.push(policy);
      }
    }
  }
  return index;
}

const canonical = (s: Service) => s.serviceEntry?.canonical ?? true;

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function oldestFirst(a: Service, b: Service): number {
  return (
    compare(a.creationTimestamp, b.creationTimestamp) || compare(a.namespace, b.namespace) || compare(a.name, b.name)
  );
}

const byName = (a: AuthorizationPolicy, b: AuthorizationPolicy): number =>
  compare(a.namespace, b.namespace) || compare(a.name, b.name);
