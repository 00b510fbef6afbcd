// Our own protos against the ones ztunnel and pilot-agent are built from (the pinned istio.io/istio and istio.io/api
// modules, read from the Go module cache by e2e/agent/upstream-protos.ts): every message and enum of the workload
// API, its authorization and the CA has the same fields — name, number, type, repetition, map key, oneof — and
// values; and every WDS golden output, decoded with upstream's definitions and encoded again, loses nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { loadAll } from 'js-yaml';
import protobuf from 'protobufjs';
import { upstreamProtoRoot } from '../../../e2e/agent/upstream-protos.ts';
import { encodeResource, messageType, protoRoot, typeUrls } from './protos.ts';

const packages = ['istio.workload', 'istio.security', 'istio.v1.auth'];
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every message and enum under `ns`, nested ones included (but not map entries: their maps are compared). */
function allOf(ns: protobuf.NamespaceBase): (protobuf.Type | protobuf.Enum)[] {
  return ns.nestedArray.flatMap((o) => [
    ...((o instanceof protobuf.Type && !isMapEntry(o)) || o instanceof protobuf.Enum ? [o] : []),
    ...(o instanceof protobuf.Namespace || o instanceof protobuf.Type ? allOf(o) : []),
  ]);
}

const typeName = (f: protobuf.Field) => (f.resolvedType ? f.resolvedType.fullName.replace(/^\./, '') : f.type);

/**
 * A descriptor's map field is a repeated `<Field>Entry` message nested beside it, of fields key = 1 and value = 2
 * (protobufjs's fromDescriptor keeps it so, and its map_entry option is not reliable there).
 */
function mapEntry(f: protobuf.Field): { key: string; value: string } | undefined {
  const t = f.resolvedType;
  if (!f.repeated || !(t instanceof protobuf.Type) || !isMapEntry(t)) return undefined;
  if (t.name !== `${camel(f.name).replace(/^./, (c) => c.toUpperCase())}Entry` || t.parent !== f.parent)
    return undefined;
  return { key: typeName(t.fieldsById[1]!), value: typeName(t.fieldsById[2]!) };
}

const isMapEntry = (t: protobuf.Type) =>
  t.name.endsWith('Entry') &&
  t.fieldsArray.length === 2 &&
  t.fieldsById[1]?.name === 'key' &&
  t.fieldsById[2]?.name === 'value';

/** A field as the wire sees it: number, repetition or map key, type, and the oneof it belongs to. */
function fieldShape(f: protobuf.Field): string {
  const oneof = f.partOf ? ` oneof ${camel(f.partOf.name)}` : '';
  const entry = mapEntry(f);
  if (entry) return `${String(f.id)} map<${entry.key}> ${entry.value}${oneof}`;
  const map = f instanceof protobuf.MapField ? `map<${f.keyType}> ` : '';
  return `${String(f.id)} ${f.repeated ? 'repeated ' : ''}${map}${typeName(f)}${oneof}`;
}

/** Differences of `mine` from `theirs`, one line each. */
function compare(theirs: protobuf.Type | protobuf.Enum, mine: protobuf.ReflectionObject | null): string[] {
  const name = theirs.fullName.replace(/^\./, '');
  if (theirs instanceof protobuf.Enum) {
    if (!(mine instanceof protobuf.Enum)) return [`enum ${name}: missing`];
    const a = JSON.stringify(Object.entries(theirs.values).sort());
    const b = JSON.stringify(Object.entries(mine.values).sort());
    return a === b ? [] : [`enum ${name}: values ${b}, upstream ${a}`];
  }
  if (!(mine instanceof protobuf.Type)) return [`message ${name}: missing`];
  const ours = new Map(mine.fieldsArray.map((f) => [f.name, fieldShape(f)]));
  const out: string[] = [];
  for (const f of theirs.fieldsArray) {
    const want = fieldShape(f);
    const have = ours.get(camel(f.name));
    if (have !== want) out.push(`${name}.${f.name}: ${have ?? 'missing'}, upstream ${want}`);
    ours.delete(camel(f.name));
  }
  for (const [field, shape] of ours) out.push(`${name}.${field}: ${shape}, not upstream`);
  return out;
}

let upstream: protobuf.Root;
/** Ours by package: the workload API and authorization from protoRoot, the CA's proto (which @grpc/proto-loader
 * loads at run time) into a Root of its own. */
let ours: Record<string, protobuf.Root>;

beforeAll(async () => {
  upstream = await upstreamProtoRoot();
  const ca = new protobuf.Root().loadSync(fileURLToPath(new URL('../../ca/proto/ca.proto', import.meta.url)), {
    keepCase: false,
  });
  ca.resolveAll();
  ours = { 'istio.workload': protoRoot(), 'istio.security': protoRoot(), 'istio.v1.auth': ca };
});

describe('our protos against the pinned upstream modules', () => {
  test.each(packages)('%s: every message and enum has the same fields and values', (pkg) => {
    const theirs = upstream.lookup(pkg);
    expect(theirs).toBeInstanceOf(protobuf.Namespace);
    const mineRoot = ours[pkg]!;
    const types = allOf(theirs as protobuf.Namespace);
    expect(types.length).toBeGreaterThan(0);
    expect(types.flatMap((t) => compare(t, mineRoot.lookup(t.fullName)))).toEqual([]);
  });

  test('every WDS golden output decodes with upstream definitions and encodes again to the same message', () => {
    const testdata = new URL('../wds/testdata/', import.meta.url);
    const docs = readdirSync(testdata)
      .filter((f) => f.endsWith('.out.yaml'))
      .flatMap((f) => loadAll(readFileSync(new URL(f, testdata), 'utf8')) as { type?: string; resource?: object }[])
      .flatMap((d) => (d.type && d.resource ? [{ type: d.type, resource: d.resource }] : []));
    expect(docs.length).toBeGreaterThan(10);
    for (const doc of docs) {
      const typeUrl = doc.type === 'Address' ? typeUrls.address : typeUrls.authorization;
      const bytes = encodeResource(typeUrl, doc.resource);
      const theirs = upstream.lookupType(typeUrl.slice(typeUrl.indexOf('/') + 1));
      const again = theirs.encode(theirs.decode(bytes)).finish();
      const mine = messageType(typeUrl);
      expect(mine.toObject(mine.decode(again))).toEqual(mine.toObject(mine.decode(bytes)));
    }
  });
});
