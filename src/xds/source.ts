// The resources each proxy gets from the current mesh model, by a table of generators keyed by the proxy's kind
// (each in its own folder): Envoy waypoints their listeners, clusters, endpoints and routes; proxyless gRPC clients
// what they ask for by name; ztunnel the workload API. Generation is lazy and memoised per model; encoded bytes are
// reused across models while a resource's content is unchanged, so an endpoint change re-encodes only what it touched.
import { newGeneration, type Generation, type Generator, type Named } from './generation/generator.ts';
import { grpcGenerator } from './grpc/generator.ts';
import type { MeshModel, Waypoint } from './model/model.ts';
import { diffModels, fingerprints, waypointAffected, type Fingerprints } from './model/model-diff.ts';
import { encodeResource } from './proto/protos.ts';
import type { Proxy } from './server/proxy.ts';
import { resource, type Resource, type ResourceSource } from './server/resources.ts';
import { waypointGenerator, waypointKey } from './waypoint/generator.ts';
import { workloadGenerator } from './wds/generator.ts';

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
    this.current = newGeneration(model);
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
    this.current = newGeneration(model);
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
