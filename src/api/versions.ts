// The catalog of Istio versions (versions.yaml): enum values for the CRDs, the default, alias resolution and EOL.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { z } from 'zod';

const Entry = z.union([
  z.object({ name: z.string(), ref: z.string(), eol: z.boolean().default(false) }),
  z.object({
    name: z.string(),
    version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/),
    eol: z.boolean().default(false),
  }),
]);
const Catalog = z.object({ versions: z.array(Entry).min(1) });

export interface IstioVersion {
  /** The API name, e.g. v1.31.4. */
  name: string;
  /** The image tag, e.g. 1.31.4. */
  version: string;
  eol: boolean;
}

export class VersionCatalog {
  readonly concrete: IstioVersion[];
  readonly aliases: Map<string, string>;
  /** Every name the API accepts, in catalog order: concrete versions and aliases, EOL ones included. */
  readonly names: string[];
  readonly defaultVersion: string;

  constructor(text: string, source: string) {
    const parsed = Catalog.safeParse(load(text));
    if (!parsed.success) throw new Error(`${source}: ${z.prettifyError(parsed.error)}`);
    this.concrete = [];
    this.aliases = new Map();
    for (const e of parsed.data.versions) {
      if ('ref' in e) this.aliases.set(e.name, e.ref);
      else this.concrete.push({ name: e.name, version: e.version, eol: e.eol });
    }
    this.names = parsed.data.versions.map((e) => e.name);
    const first = this.concrete[0];
    if (!first) throw new Error(`${source}: no concrete version`);
    this.defaultVersion = first.name;
    for (const [alias, ref] of this.aliases) {
      if (!this.concrete.some((v) => v.name === ref)) throw new Error(`${source}: alias ${alias} names unknown ${ref}`);
    }
  }

  /** The concrete version a name stands for, or undefined when the catalog does not know it. */
  resolve(name: string): IstioVersion | undefined {
    const target = this.aliases.get(name) ?? name;
    return this.concrete.find((v) => v.name === target);
  }

  /** Names from a minimum minor on (ZTunnel needs ambient, which is stable from 1.24). */
  namesFrom(minMinor: number): string[] {
    return this.names.filter((n) => Number(/^v1\.(\d+)/.exec(n)?.[1] ?? 0) >= minMinor);
  }
}

export const versions = new VersionCatalog(
  readFileSync(new URL('./versions.yaml', import.meta.url), 'utf8'),
  'src/api/versions.yaml',
);
