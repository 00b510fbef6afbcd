// The waypoint generator: the mesh model and one waypoint in, its Envoy listeners, clusters and endpoints out.
// Pure: the same model gives the same resources, each list sorted by name. Each HTTP chain's routes go by RDS.
import type { Backend, MeshModel, Service, ServicePort, Waypoint } from '../model/model.ts';
import { httpChain, tcpChain } from './chains.ts';
import { baseClusters, passthroughCluster, serviceCluster } from './clusters.ts';
import { loadAssignment } from './endpoints.ts';
import { connectOriginate, connectTerminate } from './hbone-listeners.ts';
import type { Json } from './json.ts';
import { mainInternal, type PortChains, type VipChains } from './main-internal.ts';
import { indexModel, key, routeKey, type ModelIndex } from './model-index.ts';
import { chainKinds, inboundName, outboundName, type ChainKind } from './names.ts';
import { servicePolicies, waypointPolicies } from './policies.ts';
import type { ClusterFor } from './route-action.ts';
import { inboundRouteConfig } from './routes.ts';

export { indexModel, type ModelIndex } from './model-index.ts';
export { unsupportedPolicies, type UnsupportedPolicy } from './policies.ts';

export type Resource = Json;

export interface WaypointResources {
  listeners: Resource[];
  clusters: Resource[];
  /** ClusterLoadAssignments. */
  endpoints: Resource[];
  /** RouteConfigurations, one per HTTP chain, named as the chain. */
  routes: Resource[];
}

const bound = (service: Service, waypoint: Waypoint): boolean =>
  service.waypoint?.namespace === waypoint.namespace && service.waypoint.name === waypoint.name;

/** A service port's cluster and, unless it passes traffic through (ServiceEntry resolution NONE), its endpoints. */
function sendTo(name: string, kind: ChainKind, service: Service, port: ServicePort, clusters: Json[], eds: Json[]) {
  if (service.serviceEntry?.resolution === 'NONE') {
    clusters.push(passthroughCluster(name, kind, port));
    return;
  }
  clusters.push(serviceCluster(name, kind, port));
  eds.push(loadAssignment(name, service, port));
}

/**
 * The resources for `waypoint`. Pass `index` (from `indexModel(model)`) when generating for many waypoints of one
 * model, so the model is indexed once.
 */
export function waypointResources(
  model: MeshModel,
  waypoint: Waypoint,
  index: ModelIndex = indexModel(model),
): WaypointResources {
  const services = index.servicesByWaypoint.get(key(waypoint.namespace, waypoint.name)) ?? [];
  const wide = waypointPolicies(index, waypoint);
  const clusters = baseClusters(model.trustDomain);
  const endpoints: Json[] = [];
  const routes: Json[] = [];
  const chains: Json[] = [];
  const vipChains: VipChains[] = [];

  // Route backends this waypoint does not serve, by cluster name: they get outbound clusters.
  const outbound = new Map<string, { service: Service; port: ServicePort }>();
  const clusterFor: ClusterFor = (backend: Backend) => {
    const service = index.serviceByHost.get(backend.host);
    const port = service?.ports.find((p) => p.port === backend.port);
    if (!service || !port) return undefined;
    if (bound(service, waypoint) && chainKinds(port.protocol).includes('http')) {
      return inboundName(port.port, 'http', service.hostname);
    }
    const name = outboundName(port.port, service.hostname);
    outbound.set(name, { service, port });
    return name;
  };

  for (const service of services) {
    const policies = servicePolicies(index, wide, service);
    // A headless Service has no VIP to match, so no chains: its clusters serve other Services' routes only.
    const reachable = service.vips.length > 0;
    const ports: PortChains[] = [];
    for (const port of service.ports) {
      const chainsOfPort: PortChains = { port: port.port };
      for (const kind of chainKinds(port.protocol)) {
        const name = inboundName(port.port, kind, service.hostname);
        sendTo(name, kind, service, port, clusters, endpoints);
        if (!reachable) continue;
        chainsOfPort[kind] = name;
        if (kind === 'tcp') chains.push(tcpChain(name, policies));
        else {
          const table = index.routes.get(routeKey(service.hostname, port.port));
          chains.push(httpChain(name, policies));
          routes.push(inboundRouteConfig(name, port.port, table, clusterFor));
        }
      }
      ports.push(chainsOfPort);
    }
    // Envoy rejects a port map without entries.
    if (reachable && ports.length > 0) vipChains.push({ vips: service.vips, ports });
  }

  for (const [name, { service, port }] of outbound) sendTo(name, 'http', service, port, clusters, endpoints);

  const listeners = [connectTerminate(), connectOriginate(), mainInternal(vipChains, chains.sort(byName))];
  return {
    listeners: listeners.sort(byName),
    clusters: clusters.sort(byName),
    endpoints: endpoints.sort(byClusterName),
    routes: routes.sort(byName),
  };
}

const order = (a: unknown, b: unknown): number => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
const byName = (a: Json, b: Json): number => order(a['name'], b['name']);
const byClusterName = (a: Json, b: Json): number => order(a['clusterName'], b['clusterName']);
