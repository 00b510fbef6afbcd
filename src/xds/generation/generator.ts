// What a generator is, and what it generates from: one model's generation (the model, the indexes generators build
// from it once, and everything generated from it so far, memoised by key). Each proxy kind has one generator in its
// own folder (waypoint/, grpc/, wds/); src/xds/source.ts keys them by kind and encodes what they return.
import type { MeshModel } from '../model/model.ts';
import type { Proxy } from '../server/proxy.ts';

/** A generated resource before encoding: protobuf JSON. */
export type Named = Record<string, unknown>;

export interface Generation {
  model: MeshModel;
  /** Indexes over the model, built on first use by the generator that needs one. */
  indexes: Map<string, unknown>;
  /** Generated objects by key (proxy scope + type), before encoding. */
  generated: Map<string, Map<string, Named>>;
  /** Aliases found by on-demand lookups, by resource name. */
  aliases: Map<string, string[]>;
}

export function newGeneration(model: MeshModel): Generation {
  return { model, indexes: new Map(), generated: new Map(), aliases: new Map() };
}

/** The generated objects under `key`, made once per generation. */
export function memo(g: Generation, key: string, make: () => Map<string, Named>): Map<string, Named> {
  let v = g.generated.get(key);
  if (!v) {
    v = make();
    g.generated.set(key, v);
  }
  return v;
}

/** The index `name` over the generation's model, built once. */
export function indexOf<T>(g: Generation, name: string, build: (model: MeshModel) => T): T {
  if (!g.indexes.has(name)) g.indexes.set(name, build(g.model));
  return g.indexes.get(name) as T;
}

/** How one kind of proxy is served. */
export interface Generator {
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
