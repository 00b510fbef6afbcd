// The resources each proxy gets from the current mesh model, by a table of generators keyed by the proxy's kind:
// Envoy waypoints their listeners, clusters, endpoints and routes; proxyless gRPC clients what they ask for by name;
// ztunnel the workload API. Generation is lazy and memoised per model; encoded bytes are reused across models while a
// resource's content is unchanged, so an endpoint change re-encodes only what it touched.
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

type Named = Record<string, unknown>;

/** One model's generation: the indexes the generators read, and what they produced from it so far. */
interface Generation {
  model: MeshModel;
  grpc: GrpcIndex;
  waypoints: ModelIndex;
  /** Generated objects by key (proxy scope + type), before encoding. */
  generated: Map<string, Map<string, Named>>;
  /** Aliases found by on-demand lookups, by resource name. */
  aliases: Map<string, string[]>;
}

function generation(model: MeshModel): Generation {
  return { model, grpc: indexForGrpc(model), waypoints: indexModel(model), generated: new Map(), aliases: new Map() };
}

function memo(g: Generation, key: string, make: () => Map<string, Named>): Map<string, Named> {
  let v = g.generated.get(key);
  if (!v) {
    v = make();
    g.generated.set(key, v);
  }
  return v;
}

const waypointKey = (w: Waypoint) => `waypoint|${w.namespace}/${w.name}|`;

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

/** How one kind of proxy is served. */
interface Generator {
  /** The type URLs it may subscribe to, in push order. */
  types: readonly string[];
  /** The objects of `typeUrl` it gets (`names`: only those; undefined: all), before encoding. */
  generate(g: Generation, proxy: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Named>;
  /**
   * Where its whole set of a type is kept once encoded, for the model and for the next ones that do not concern
   * it (undefined: encoded on each request).
   */
  servedKey?(g: Generation, proxy: Proxy, typeUrl: string): string | undefined;
  /** Whether its resources carry the aliases on-demand lookups found. */
  aliases: boolean;
}

/** Envoy waypoints: everything generated at once per waypoint, kept per type. */
const waypointGenerator: Generator = {
  types: envoyPushOrder,
  generate(g, proxy, typeUrl, names) {
    const waypoint = waypointOf(g.model, proxy);
    if (!waypoint) return new Map();
    const key = waypointKey(waypoint);
    const byType = memo(g, `${key}${typeUrl}`, () => {
      const r = waypointResources(g.model, waypoint, g.waypoints);
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
    const waypoint = waypointOf(g.model, proxy);
    // Listeners carry the proxy's own address, so each replica has its own set.
    return waypoint && `${waypointKey(waypoint)}${typeUrl}${typeUrl === typeUrls.listener ? `|${proxy.ip}` : ''}`;
  },
  aliases: false,
};

/** Proxyless gRPC clients: only what they name, each resource generated once per model. */
const grpcGenerator: Generator = {
  types: [typeUrls.listener, typeUrls.route, typeUrls.cluster, typeUrls.endpoint],
  generate(g, proxy, typeUrl, names) {
    const out = new Map<string, Named>();
    for (const name of names ?? []) {
      const key =
        typeUrl === typeUrls.listener ? `grpc|${typeUrl}|${proxy.namespace}|${name}` : `grpc|${typeUrl}|${name}`;
      const one = memo(g, key, () => {
        const obj =
          typeUrl === typeUrls.listener
            ? name.startsWith(serverListenerPrefix)
              ? grpcServerListener(g.grpc, name)
              : grpcListener(g.grpc, name, proxy.namespace)
            : typeUrl === typeUrls.route
              ? grpcRouteConfiguration(g.grpc, name)
              : typeUrl === typeUrls.cluster
                ? grpcCluster(g.grpc, name)
                : grpcEndpoints(g.grpc, name);
        return new Map(obj ? [[name, obj as Named]] : []);
      });
      const obj = one.get(name);
      if (obj) out.set(name, obj);
    }
    return out;
  },
  aliases: false,
};

/** ztunnel: the workload API, generated once per model; names it has not seen are looked up by IP. */
const workloadGenerator: Generator = {
  types: [typeUrls.address, typeUrls.authorization],
  generate(g, _proxy, typeUrl, names) {
    if (typeUrl === typeUrls.authorization) return memo(g, 'wds|authorization', () => authorizationResources(g.model));
    const all = memo(g, 'wds|address', () => addressResources(g.model));
    if (!names) return all;
    const found = new Map<string, Named>();
    const unknown = [...names].filter((n) => {
      const r = all.get(n);
      if (r) found.set(n, r);
      return !r;
    });
    // On-demand lookups: ztunnel asks for an IP (`<network>/<ip>`) it has not seen; the answer carries it as an
    // alias of the workload or service that has it.
    const lookup = lookupAddresses(g.model, unknown);
    for (const [n, r] of lookup.resources) found.set(n, r);
    for (const [n, a] of lookup.aliases) g.aliases.set(n, a);
    return found;
  },
  aliases: true,
};

const generators: Record<Proxy['generator'], Generator> = {
  waypoint: waypointGenerator,
  grpc: grpcGenerator,
  workload: workloadGenerator,
};

const previousWaypoint = (generated: Map<string, unknown>, w: Waypoint) =>
  [...generated.keys()].some((k) => k.startsWith(waypointKey(w)));

export class MeshResources implements ResourceSource {
  private current: Generation;
  /** Per model: encoded resource sets by the same keys; a waypoint's carry over to a model that does not concern it. */
  private served = new Map<string, Map<string, Resource>>();
  private prints: Fingerprints;
  /** Across models: the last encoding of each resource, reused while its JSON is the same. */
  private encoded = new Map<string, { json: string; resource: Resource }>();
  /** The encodings used since the last update: the rest are dropped then (deleted resources must not pile up). */
  private used = new Map<string, { json: string; resource: Resource }>();

  constructor(model: MeshModel) {
    this.current = generation(model);
    this.prints = fingerprints(model);
  }

  /**
   * A new model: what it concerns is generated again on demand (and encoded again only where its content changed);
   * waypoints it does not concern keep their resources as they are.
   */
  update(model: MeshModel): void {
    const prints = fingerprints(model);
    const diff = diffModels(this.prints, prints);
    const previous = { generated: this.current.generated, served: this.served };
    this.current = generation(model);
    this.prints = prints;
    this.served = new Map();
    for (const w of model.waypoints) {
      const before = previousWaypoint(previous.generated, w);
      if (!before || waypointAffected(diff, w, model)) continue;
      const prefix = waypointKey(w);
      for (const [k, v] of previous.generated) if (k.startsWith(prefix)) this.current.generated.set(k, v);
      for (const [k, v] of previous.served) if (k.startsWith(prefix)) this.served.set(k, v);
    }
    this.encoded = this.used;
    this.used = new Map();
  }

  typesFor(proxy: Proxy): readonly string[] {
    return generators[proxy.generator].types;
  }

  resources(proxy: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Resource> {
    const generator = generators[proxy.generator];
    const key = names === undefined ? generator.servedKey?.(this.current, proxy, typeUrl) : undefined;
    if (key === undefined) return this.encodeAll(typeUrl, this.generate(proxy, typeUrl, names), generator.aliases);
    let set = this.served.get(key);
    if (!set) {
      set = this.encodeAll(typeUrl, this.generate(proxy, typeUrl, undefined));
      this.served.set(key, set);
    }
    return set;
  }

  /** What `resources` would send, before encoding: for the config-dump debug endpoint. */
  generate(proxy: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Named> {
    return generators[proxy.generator].generate(this.current, proxy, typeUrl, names);
  }

  private encodeAll(typeUrl: string, objects: Map<string, Named>, withAliases = false): Map<string, Resource> {
    const out = new Map<string, Resource>();
    for (const [name, obj] of objects) {
      const r = this.encode(typeUrl, name, obj);
      const aliases = withAliases ? this.current.aliases.get(name) : undefined;
      out.set(name, aliases ? { ...r, aliases } : r);
    }
    return out;
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
