// Golden files for the waypoint generator: testdata/<case>.in.yaml holds a mesh (see src/testing/waypoint-case.ts) and
// the waypoint to generate for, testdata/<case>.out.yaml what it gets. The fixed HBONE resources appear in full in
// no-services.out.yaml only; other cases list them under sameAsNoServices when they are unchanged. UPDATE_GOLDEN=1
// rewrites the outputs; review the diff before committing it.
import { describe, expect, test } from '@jest/globals';
import { isDeepStrictEqual } from 'node:util';
import { decodeResource, encodeResource, typeUrls } from '../proto/protos.ts';
import { describeGolden, goldenCases } from '../../testing/golden.ts';
import { unsupportedPolicies, waypointResources, type Resource, type WaypointResources } from './generate.ts';
import { WaypointCase } from '../../testing/waypoint-case.ts';

const testdata = new URL('./testdata/', import.meta.url);
const BASE = 'no-services';

const cases = goldenCases(testdata, (raw) => WaypointCase.parse(raw)).map(({ name, input }) => ({
  name,
  ...input,
  resources: waypointResources(input.model, input.waypoint),
  unsupported: unsupportedPolicies(input.model, input.waypoint),
}));
const base = cases.find((c) => c.name === BASE);

const kinds = ['listeners', 'clusters', 'endpoints', 'routes'] as const;
const typeUrl = {
  listeners: typeUrls.listener,
  clusters: typeUrls.cluster,
  endpoints: typeUrls.endpoint,
  routes: typeUrls.route,
};
const nameOf = (r: Resource) => String(r['name'] ?? r['clusterName']);

function document(c: (typeof cases)[number]): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const same: string[] = [];
  for (const kind of kinds) {
    const fixed = c.name === BASE ? [] : (base?.resources[kind] ?? []);
    doc[kind] = c.resources[kind].filter((r) => {
      const unchanged = fixed.some((f) => isDeepStrictEqual(f, r));
      if (unchanged) same.push(`${kind}/${nameOf(r)}`);
      return !unchanged;
    });
  }
  if (same.length > 0) doc['sameAsNoServices'] = same;
  if (c.unsupported.length > 0) doc['unsupportedPolicies'] = c.unsupported;
  return { description: c.description, ...doc };
}

const everyResource = cases.flatMap(({ name, resources }) =>
  kinds.flatMap((kind) => resources[kind].map((resource) => ({ name, kind, resource }))),
);

describe('the waypoint cases', () => {
  test('are several, with the base case', () => {
    expect(cases.length).toBeGreaterThan(1);
    expect(base).toBeDefined();
  });
});

describeGolden(
  'generated waypoint resources match testdata/<case>.out.yaml',
  testdata,
  cases.map((c) => ({ name: c.name, documents: [document(c)] })),
);

describe('every generated resource', () => {
  test('encodes with its type URL and decodes back to the same bytes', () => {
    for (const { name, kind, resource } of everyResource) {
      const bytes = encodeResource(typeUrl[kind], resource);
      const again = encodeResource(typeUrl[kind], decodeResource(typeUrl[kind], bytes));
      expect({ name, resource: nameOf(resource), same: Buffer.from(again).equals(Buffer.from(bytes)) }).toEqual({
        name,
        resource: nameOf(resource),
        same: true,
      });
    }
  });

  test('is plain JSON: no undefined fields', () => {
    for (const { resource } of everyResource) expect(JSON.parse(JSON.stringify(resource))).toStrictEqual(resource);
  });

  test('has a name unique in its kind, and the lists are sorted by it', () => {
    for (const { name, resources } of cases) {
      for (const kind of kinds) {
        const names = resources[kind].map(nameOf);
        expect({ name, kind, names }).toEqual({ name, kind, names: [...new Set(names)].sort() });
      }
    }
  });

  test('every EDS cluster has its load assignment, and every load assignment its cluster', () => {
    for (const { name, resources } of cases) {
      const eds = resources.clusters.filter((c) => c['type'] === 'EDS').map(nameOf);
      expect({ name, eds }).toEqual({ name, eds: resources.endpoints.map(nameOf) });
    }
  });
});

describe('RDS', () => {
  test('every route configuration a chain asks for is sent, and nothing else', () => {
    for (const { name, resources } of cases) {
      const asked = [...JSON.stringify(resources.listeners).matchAll(/"routeConfigName":"([^"]+)"/g)].map((m) => m[1]);
      expect({ name, routes: [...asked].sort() }).toEqual({ name, routes: resources.routes.map(nameOf) });
    }
  });
});

describe('the base case', () => {
  test('a waypoint with no Services gets only the HBONE plumbing', () => {
    const names = (r: WaypointResources) => Object.fromEntries(kinds.map((k) => [k, r[k].map(nameOf)]));
    expect(names(base!.resources)).toEqual({
      listeners: ['connect_originate', 'connect_terminate', 'main_internal'],
      clusters: ['connect_originate', 'encap', 'main_internal'],
      endpoints: [],
      routes: [],
    });
  });
});
