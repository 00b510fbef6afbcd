// The resources each proxy gets from the current mesh model: Envoy waypoints their listeners, clusters and
// endpoints; proxyless gRPC clients what they ask for by name; ztunnel the workload API. Generation is lazy and
// memoised per model; encoded bytes are reused across models while a resource's content is unchanged, so an
// endpoint change re-encodes only what it touched.
import { isIP } from 'node:net';
import { encodeResource, typeUrls } from './proto/protos.ts';
import { CONNECT_TERMINATE, HBONE_PORT } from './waypoint/names.ts';
import type { MeshModel, Waypoint } from './model/model.ts';
import { diffModels, fingerprints, waypointAffected, type Fingerprints } from './model/model-diff.ts';
import type { Proxy } from './server/proxy.ts';
import { envoyPushOrder, resource, type Resource, type ResourceSource } from './server/resources.ts';
import {
  grpcCluster,
  grpcEndpoints,
  grpcListener,
  grpcRouteConfiguration,
  indexForGrpc,
  type GrpcIndex,
} from './grpc/generate.ts';
import { indexModel, waypointResources, type ModelIndex } from './waypoint/generate.ts';
import { addressResources } from './wds/addresses.ts';
import { authorizationResources } from './wds/authorizations.ts';
import { lookupAddresses } from './wds/lookup.ts';
import { grpcServerListener, serverListenerPrefix } from './grpc/server.ts';

const grpcOrder: readonly string[] = [typeUrls.listener, typeUrls.route, typeUrls.cluster, typeUrls.endpoint];
const workloadOrder: readonly string[] = [typeUrls.address, typeUrls.authorization];

type Named = Record<string, unknown>;

const waypointKey = (w: Waypoint) => `waypoint|${w.namespace}/${w.name}|`;

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

const previousWaypoint = (generated: Map<string, unknown>, w: Waypoint) =>
  [...generated.keys()].some((k) => k.startsWith(waypointKey(w)));

export class MeshResources implements ResourceSource {
  private model: MeshModel;
  private grpc: GrpcIndex;
  private waypointIndex: ModelIndex;
  /** Per model: generated objects by key (proxy scope + type), before encoding. */
  private generated = new Map<string, Map<string, Named>>();
  /** Per model: encoded resource sets by the same keys; a waypoint's carry over to a model that does not concern it. */
  private served = new Map<string, Map<string, Resource>>();
  private prints: Fingerprints;
  /** Aliases found by on-demand lookups, by resource name. */
  private aliases = new Map<string, string[]>();
  /** Across models: the last encoding of each resource, reused while its JSON is the same. */
  private encoded = new Map<string, { json: string; resource: Resource }>();
  /** The encodings used since the last update: the rest are dropped then (deleted resources must not pile up). */
  private used = new Map<string, { json: string; resource: Resource }>();

  constructor(model: MeshModel) {
    this.model = model;
    this.grpc = indexForGrpc(model);
    this.waypointIndex = indexModel(model);
    this.prints = fingerprints(model);
  }

  /**
   * A new model: what it concerns is generated again on demand (and encoded again only where its content changed);
   * waypoints it does not concern keep their resources as they are.
   */
  update(model: MeshModel): void {
    const prints = fingerprints(model);
    const diff = diffModels(this.prints, prints);
    const previous = { generated: this.generated, served: this.served };
    this.model = model;
    this.prints = prints;
    this.grpc = indexForGrpc(model);
    this.waypointIndex = indexModel(model);
    this.generated = new Map();
    this.served = new Map();
    for (const w of model.waypoints) {
      const before = previousWaypoint(previous.generated, w);
      if (!before || waypointAffected(diff, w, model)) continue;
      const prefix = waypointKey(w);
      for (const [k, v] of previous.generated) if (k.startsWith(prefix)) this.generated.set(k, v);
      for (const [k, v] of previous.served) if (k.startsWith(prefix)) this.served.set(k, v);
    }
    this.aliases = new Map();
    this.encoded = this.used;
    this.used = new Map();
  }

  typesFor(proxy: Proxy): readonly string[] {
    if (proxy.generator === 'grpc') return grpcOrder;
    if (proxy.generator === 'workload') return workloadOrder;
    return envoyPushOrder;
  }

  /** The waypoint a proxy is: by its workload name (the Deployment, named after the Gateway) in its namespace. */
  waypointFor(proxy: Proxy): Waypoint | undefined {
    const workload = typeof proxy.metadata['WORKLOAD_NAME'] === 'string' ? proxy.metadata['WORKLOAD_NAME'] : undefined;
    const candidates = this.model.waypoints.filter((w) => w.namespace === proxy.namespace);
    return (
      candidates.find((w) => w.name === workload) ??
      // A pod of Deployment <name>: <name>-<replicaset hash>-<pod suffix>.
      candidates.find(
        (w) => proxy.name.startsWith(`${w.name}-`) && proxy.name.split('-').length === w.name.split('-').length + 2,
      )
    );
  }

  resources(proxy: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Resource> {
    const waypoint = proxy.generator === 'waypoint' ? this.waypointFor(proxy) : undefined;
    if (waypoint && names === undefined) {
      // Listeners carry the proxy's own address, so each replica has its own set.
      const key = `${waypointKey(waypoint)}${typeUrl}${typeUrl === typeUrls.listener ? `|${proxy.ip}` : ''}`;
      let set = this.served.get(key);
      if (!set) {
        set = this.encodeAll(typeUrl, this.generate(proxy, typeUrl, undefined));
        this.served.set(key, set);
      }
      return set;
    }
    return this.encodeAll(typeUrl, this.generate(proxy, typeUrl, names), proxy.generator === 'workload');
  }

  private encodeAll(typeUrl: string, objects: Map<string, Named>, withAliases = false): Map<string, Resource> {
    const out = new Map<string, Resource>();
    for (const [name, obj] of objects) {
      const r = this.encode(typeUrl, name, obj);
      const aliases = withAliases ? this.aliases.get(name) : undefined;
      out.set(name, aliases ? { ...r, aliases } : r);
    }
    return out;
  }

  /** What `resources` would send, before encoding: for the config-dump debug endpoint. */
  generate(proxy: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Named> {
    if (proxy.generator === 'grpc') return this.grpcResources(proxy, typeUrl, names ?? new Set());
    if (proxy.generator === 'workload') {
      if (typeUrl === typeUrls.authorization)
        return this.memo('wds|authorization', () => authorizationResources(this.model));
      const all = this.memo('wds|address', () => addressResources(this.model));
      if (!names) return all;
      const found = new Map<string, Named>();
      const unknown = [...names].filter((n) => {
        const r = all.get(n);
        if (r) found.set(n, r);
        return !r;
      });
      // On-demand lookups: ztunnel asks for an IP (`<network>/<ip>`) it has not seen; the answer carries it as an
      // alias of the workload or service that has it.
      const lookup = lookupAddresses(this.model, unknown);
      for (const [n, r] of lookup.resources) found.set(n, r);
      for (const [n, a] of lookup.aliases) this.aliases.set(n, a);
      return found;
    }
    const waypoint = this.waypointFor(proxy);
    if (!waypoint) return new Map();
    const key = waypointKey(waypoint);
    const byType = this.memo(`${key}${typeUrl}`, () => {
      const r = waypointResources(this.model, waypoint, this.waypointIndex);
      const named = (list: Named[], field: string) => new Map(list.map((o) => [String(o[field]), o]));
      this.generated.set(`${key}${typeUrls.listener}`, named(r.listeners, 'name'));
      this.generated.set(`${key}${typeUrls.cluster}`, named(r.clusters, 'name'));
      this.generated.set(`${key}${typeUrls.endpoint}`, named(r.endpoints, 'clusterName'));
      this.generated.set(`${key}${typeUrls.route}`, named(r.routes, 'name'));
      return this.generated.get(`${key}${typeUrl}`) ?? new Map<string, Named>();
    });
    const selected = names ? new Map([...byType].filter(([n]) => names.has(n))) : byType;
    return typeUrl === typeUrls.listener ? boundTo(selected, proxy.ip) : selected;
  }

  private grpcResources(proxy: Proxy, typeUrl: string, names: ReadonlySet<string>): Map<string, Named> {
    const out = new Map<string, Named>();
    for (const name of names) {
      const key =
        typeUrl === typeUrls.listener ? `grpc|${typeUrl}|${proxy.namespace}|${name}` : `grpc|${typeUrl}|${name}`;
      const one = this.memo(key, () => {
        const obj =
          typeUrl === typeUrls.listener
            ? name.startsWith(serverListenerPrefix)
              ? grpcServerListener(this.grpc, name)
              : grpcListener(this.grpc, name, proxy.namespace)
            : typeUrl === typeUrls.route
              ? grpcRouteConfiguration(this.grpc, name)
              : typeUrl === typeUrls.cluster
                ? grpcCluster(this.grpc, name)
                : grpcEndpoints(this.grpc, name);
        return new Map(obj ? [[name, obj as Named]] : []);
      });
      const obj = one.get(name);
      if (obj) out.set(name, obj);
    }
    return out;
  }

  private memo(key: string, make: () => Map<string, Named>): Map<string, Named> {
    let v = this.generated.get(key);
    if (!v) {
      v = make();
      this.generated.set(key, v);
    }
    return v;
  }

  private encode(typeUrl: string, name: string, obj: Named): Resource {
    const key = `${typeUrl}|${name}`;
    const json = JSON.stringify(obj);
    const last = this.used.get(key) ?? this.encoded.get(key);
    const entry = last?.json === json ? last : { json, resource: resource(name, encodeResource(typeUrl, obj)) };
    this.used.set(key, entry);
    return entry.resource;
  }
}
