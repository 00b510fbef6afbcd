// Ambit's Istio CRDs against Istio's own (istio.io/api, pinned in e2e/cluster/go/upstream-apis, read from the Go
// module cache): identities, field paths of the typed kinds, CEL rules, and sizes.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { load } from 'js-yaml';
import { istioUpstreamCrds, type UpstreamCrd } from '../../../e2e/cluster/upstream-apis.ts';
import { renderCrd } from '../crd/definition.ts';
import type { JSONSchemaProps } from '../crd/structural.ts';
import { renderCrdFiles } from '../generate/crd-files.ts';
import { istioCrds } from './index.ts';

const typedKinds = [
  'VirtualService',
  'DestinationRule',
  'ServiceEntry',
  'WorkloadEntry',
  'WorkloadGroup',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'RequestAuthentication',
  'Telemetry',
];

interface Difference {
  kind: string;
  path: string;
  message?: string;
  oneOf?: string;
  reason: string;
}
const known = (
  load(readFileSync(new URL('./known-differences.yaml', import.meta.url), 'utf8')) as { differences: Difference[] }
).differences;

type Version = {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: JSONSchemaProps };
  additionalPrinterColumns?: { name: string; type: string; jsonPath: string }[];
};
type Crd = { spec: { group: string; scope: string; names: Record<string, unknown>; versions: Version[] } };

const ours = new Map(istioCrds.map((d) => [d.kind, renderCrd(d) as unknown as Crd]));
let upstream: Map<string, Crd>;

beforeAll(async () => {
  upstream = new Map((await istioUpstreamCrds()).map((c: UpstreamCrd) => [c.spec.names.kind, c as unknown as Crd]));
}, 120_000);

/** Every field path of a schema with its type: `spec.http[].match[].uri.exact` → `string`. */
function fieldTypes(s: JSONSchemaProps, path: string, out = new Map<string, string>()): Map<string, string> {
  out.set(path, s['x-kubernetes-int-or-string'] ? 'int-or-string' : (s.type ?? 'any'));
  if (s['x-kubernetes-preserve-unknown-fields'] && !s.properties) out.set(path, 'free-form');
  for (const [k, v] of Object.entries(s.properties ?? {})) fieldTypes(v, `${path}.${k}`, out);
  if (s.items) fieldTypes(s.items, `${path}[]`, out);
  if (s.additionalProperties) fieldTypes(s.additionalProperties, `${path}.*`, out);
  return out;
}

/** Every CEL message with the path it sits on. */
function celMessages(s: JSONSchemaProps, path: string, out: string[] = []): string[] {
  for (const r of s['x-kubernetes-validations'] ?? []) out.push(`${path} :: ${r.message ?? r.rule}`);
  for (const [k, v] of Object.entries(s.properties ?? {})) celMessages(v, `${path}.${k}`, out);
  if (s.items) celMessages(s.items, `${path}[]`, out);
  if (s.additionalProperties) celMessages(s.additionalProperties, `${path}.*`, out);
  return out;
}

/** Every one-of group (fields of which at most one may be set) with its path: `spec.x :: a|b`. */
function oneOfs(s: JSONSchemaProps, path: string, out: string[] = []): string[] {
  if (s.oneOf) out.push(`${path} :: ${s.oneOf.flatMap((o) => o.required ?? []).join('|')}`);
  for (const [k, v] of Object.entries(s.properties ?? {})) oneOfs(v, `${path}.${k}`, out);
  if (s.items) oneOfs(s.items, `${path}[]`, out);
  if (s.additionalProperties) oneOfs(s.additionalProperties, `${path}.*`, out);
  return out;
}

const isKnown = (kind: string, path: string, message?: string, oneOf?: string) =>
  known.some((d) => d.kind === kind && d.path === path && d.message === message && d.oneOf === oneOf);
const specOf = (crd: Crd) => crd.spec.versions.find((v) => v.storage)!.schema.openAPIV3Schema.properties!['spec']!;

describe('Istio CRDs against istio.io/api', () => {
  test('the same kinds, names, scope, versions and printer columns', () => {
    expect([...ours.keys()].sort()).toEqual([...upstream.keys()].sort());
    for (const [kind, crd] of ours) {
      const up = upstream.get(kind)!;
      expect({ kind, group: crd.spec.group, scope: crd.spec.scope, names: crd.spec.names }).toEqual({
        kind,
        group: up.spec.group,
        scope: up.spec.scope,
        names: up.spec.names,
      });
      const identity = (c: Crd) =>
        c.spec.versions.map((v) => ({
          name: v.name,
          served: v.served,
          storage: v.storage,
          columns: (v.additionalPrinterColumns ?? []).map(({ name, type, jsonPath }) => ({ name, type, jsonPath })),
        }));
      expect({ kind, versions: identity(crd) }).toEqual({ kind, versions: identity(up) });
    }
  });

  test.each(typedKinds)('%s: every field upstream accepts is accepted by ours, with the same type', (kind) => {
    const mine = fieldTypes(specOf(ours.get(kind)!), 'spec');
    const missing: string[] = [];
    for (const [path, type] of fieldTypes(specOf(upstream.get(kind)!), 'spec')) {
      const ourType = mine.get(path);
      const ok = ourType === type || (ourType === 'free-form' && type === 'object');
      if (!ok && !isKnown(kind, path)) missing.push(`${path}: upstream ${type}, ours ${ourType ?? 'absent'}`);
    }
    expect(missing).toEqual([]);
  });

  test.each(typedKinds)("%s: our CEL rules carry every one of upstream's messages", (kind) => {
    const mine = new Set(celMessages(specOf(ours.get(kind)!), 'spec'));
    const missing = celMessages(specOf(upstream.get(kind)!), 'spec').filter((m) => {
      const [path, message] = m.split(' :: ') as [string, string];
      return !mine.has(m) && !isKnown(kind, path, message);
    });
    expect(missing).toEqual([]);
  });

  test.each(typedKinds)("%s: the same one-of groups as upstream's", (kind) => {
    const mine = new Set(oneOfs(specOf(ours.get(kind)!), 'spec'));
    const missing = oneOfs(specOf(upstream.get(kind)!), 'spec').filter((m) => {
      const [path, fields] = m.split(' :: ') as [string, string];
      return !mine.has(m) && !isKnown(kind, path, undefined, fields);
    });
    expect(missing).toEqual([]);
  });

  test('every listed known difference still exists', () => {
    const stale = known.filter((d) => {
      const mine = specOf(ours.get(d.kind)!);
      if (d.oneOf !== undefined) return oneOfs(mine, 'spec').includes(`${d.path} :: ${d.oneOf}`);
      if (d.message === undefined) return fieldTypes(mine, 'spec').get(d.path) !== undefined;
      return celMessages(mine, 'spec').includes(`${d.path} :: ${d.message}`);
    });
    expect(stale).toEqual([]);
  });

  test('every CRD stays under 256 KiB (report of sizes: ours vs upstream)', () => {
    const files = renderCrdFiles();
    const rows: string[] = [];
    for (const [kind, crd] of ours) {
      const d = istioCrds.find((c) => c.kind === kind)!;
      const yaml = files.get(`${d.group}_${d.plural}.yaml`)!;
      const json = JSON.stringify(crd).length;
      const upJson = JSON.stringify(upstream.get(kind)).length;
      rows.push(
        `${kind.padEnd(22)} ours ${String(yaml.length).padStart(7)} B yaml, ${String(json).padStart(6)} B json; upstream ${String(upJson).padStart(6)} B json`,
      );
      expect({ kind, fits: json < 256 * 1024 && yaml.length < 256 * 1024 }).toEqual({ kind, fits: true });
    }
    console.log(`CRD sizes\n${rows.join('\n')}`);
  });
});
