// The waypoint generator entry: an Envoy waypoint proxy gets everything generated at once for its waypoint (found
// by its workload name), kept per type; its HBONE listener is bound to the proxy's own IP.
import { isIP } from 'node:net';
import type { MeshModel, Waypoint } from '../model/model.ts';
import { indexOf, memo, type Generator, type Named } from '../generation/generator.ts';
import { typeUrls } from '../proto/protos.ts';
import type { Proxy } from '../server/proxy.ts';
import { envoyPushOrder } from '../server/resources.ts';
import { indexModel, waypointResources } from './generate.ts';
import { CONNECT_TERMINATE, HBONE_PORT } from './names.ts';

/** The prefix of every key a waypoint's resources are kept under: what a model update carries over or drops. */
export const waypointKey = (w: Waypoint) => `waypoint|${w.namespace}/${w.name}|`;

/** The waypoint a proxy is: by its workload name (the Deployment, named after the Gateway) in its namespace. */
function waypointOf(model: MeshModel, proxy: Proxy): Waypoint | undefined {
  const workload = typeof proxy.metadata['WORKLOAD_NAME'] === 'string' ? proxy.metadata['WORKLOAD_NAME'] : undefined;
  const candidates = model.waypoints.filter((w) => w.namespace === proxy.namespace);
  return (
    candidates.find((w) => w.name === workload) ??
    // A pod of Deployment <name>: <name>-<replicaset hash>-<pod suffix>.
    candidates.find(
      (w) => proxy.name.startsWith(`${w.name}-`) && proxy.name.split('-').length === w.name.split('-').length + 2,
    )
  );
}

/**
 * The HBONE listener bound to the proxy's own IP (the node id's: the pod IP in a pod) instead of every address:
 * ztunnel dials the pod IP, and a waypoint run beside a test cluster listens on 127.0.0.1 only.
 */
function boundTo(listeners: Map<string, Named>, ip: string): Map<string, Named> {
  const terminate = listeners.get(CONNECT_TERMINATE);
  if (!terminate || isIP(ip) === 0) return listeners;
  const address = { socketAddress: { address: ip, portValue: HBONE_PORT } };
  return new Map([...listeners, [CONNECT_TERMINATE, { ...terminate, address }]]);
}

/** Envoy waypoints: everything generated at once per waypoint, kept per type. */
export const waypointGenerator: Generator = {
  types: envoyPushOrder,
  generate(g, proxy, typeUrl, names) {
    const waypoint = waypointOf(g.model, proxy);
    if (!waypoint) return new Map();
    const key = waypointKey(waypoint);
    const byType = memo(g, `${key}${typeUrl}`, () => {
      const r = waypointResources(g.model, waypoint, indexOf(g, 'waypoint', indexModel));
      const named = (list: Named[], field: string) => new Map(list.map((o) => [String(o[field]), o]));
      g.generated.set(`${key}${typeUrls.listener}`, named(r.listeners, 'name'));
      g.generated.set(`${key}${typeUrls.cluster}`, named(r.clusters, 'name'));
      g.generated.set(`${key}${typeUrls.endpoint}`, named(r.endpoints, 'clusterName'));
      g.generated.set(`${key}${typeUrls.route}`, named(r.routes, 'name'));
      return g.generated.get(`${key}${typeUrl}`) ?? new Map<string, Named>();
    });
    const selected = names ? new Map([...byType].filter(([n]) => names.has(n))) : byType;
    return typeUrl === typeUrls.listener ? boundTo(selected, proxy.ip) : selected;
  },
  servedKey(g, proxy, typeUrl) {
    // Listeners carry the proxy's own address, which the client names: they are encoded per request (bytes are still
    // reused while unchanged), so no client can make the server keep a set per address it claims.
    if (typeUrl === typeUrls.listener) return undefined;
    const waypoint = waypointOf(g.model, proxy);
    return waypoint && `${waypointKey(waypoint)}${typeUrl}`;
  },
  aliases: false,
};
