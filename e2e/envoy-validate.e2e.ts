// Upstream Envoy (`--mode validate`) accepts every waypoint configuration Ambit generates: each golden output of the
// waypoint generator, and the configuration for a few hundred AuthorizationPolicies with random values — addresses,
// CIDRs and ports valid or not, principals, hosts and headers with regex and wildcard characters. Envoy refuses a
// whole listener update for one malformed value, so no policy may be able to freeze a waypoint.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { load } from 'js-yaml';
import { WaypointCase } from '../src/testing/waypoint-case.ts';
import { waypointResources } from '../src/xds/waypoint/generate.ts';
import { envoyRejects, type WaypointConfig } from './envoy/validate.ts';

const testdata = new URL('../src/xds/waypoint/testdata/', import.meta.url);
type Named = { name: string } & Record<string, unknown>;
type GoldenOut = Partial<Record<'listeners' | 'clusters', Named[]>> &
  Partial<Record<'routes' | 'endpoints', Record<string, unknown>[]>> & { sameAsNoServices?: string[] };

const read = (name: string) => load(readFileSync(new URL(name, testdata), 'utf8')) as GoldenOut;

/** A golden output with the resources it shares with the no-services case put back. */
function goldenConfig(name: string): WaypointConfig {
  const out = read(name);
  const base = read('no-services.out.yaml');
  const same = new Set(out.sameAsNoServices ?? []);
  const pick = (kind: 'listeners' | 'clusters') => [
    ...(out[kind] ?? []),
    ...(base[kind] ?? []).filter((o) => same.has(`${kind}/${o.name}`)),
  ];
  return {
    listeners: pick('listeners'),
    clusters: pick('clusters'),
    routes: out.routes ?? [],
    endpoints: out.endpoints ?? [],
  };
}

/** A small deterministic PRNG (mulberry32): the same policies on every run, and a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const addresses = [
  '10.0.0.0/8',
  '192.168.1.7',
  '2001:db8::/32',
  '::1',
  '999.1.1.1/99',
  'not-an-ip',
  '10.0.0.1/33',
  '',
  '1.2.3.4/',
  'fe80::1%eth0',
];
const ports = ['80', '65535', '0', '65536', '0x50', '-1', '8080', ' 80', '1e3'];
const strings = [
  '*',
  'a*',
  '*b',
  'spiffe://x/ns/a/sa/b',
  'cluster.local/ns/default/sa/app',
  '(',
  '[a-z]+',
  '\\',
  '.*',
  '',
  'ü',
  'x'.repeat(300),
  'a\r\nb',
  'nul\u0000',
];
const methods = ['GET', 'DELETE', '', 'get', 'X*'];

function fuzzedPolicies(seed: number, count: number) {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  const some = <T>(xs: readonly T[]) => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(xs));
  const maybe = <T>(make: () => T) => (next() < 0.5 ? make() : undefined);
  const whenKeys = [
    'source.ip',
    'remote.ip',
    'destination.ip',
    'destination.port',
    'source.namespace',
    'source.principal',
    'request.headers[x-user]',
    'request.headers[:authority]',
    'request.headers[x user]',
    'request.headers[x\nuser]',
    'request.headers[x\u0000]',
    'connection.sni',
    'request.auth.claims[iss]',
  ];
  return Array.from({ length: count }, (_, i) => ({
    name: `p${String(i)}`,
    action: pick(['ALLOW', 'DENY'] as const),
    targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
    rules: Array.from({ length: 1 + Math.floor(next() * 2) }, () => ({
      from: maybe(() => [
        {
          source: {
            ipBlocks: maybe(() => some(addresses)),
            notIpBlocks: maybe(() => some(addresses)),
            principals: maybe(() => some(strings)),
            namespaces: maybe(() => some(strings)),
          },
        },
      ]),
      to: maybe(() => [
        {
          operation: {
            ports: maybe(() => some(ports)),
            notPorts: maybe(() => some(ports)),
            hosts: maybe(() => some(strings)),
            methods: maybe(() => some(methods)),
            paths: maybe(() => some(strings)),
          },
        },
      ]),
      when: maybe(() => [
        {
          key: pick(whenKeys),
          values: some([...addresses, ...ports, ...strings]),
          notValues: maybe(() => some([...addresses, ...ports])),
        },
      ]),
    })),
  }));
}

describe('upstream Envoy accepts what the waypoint generator makes', () => {
  const goldens = readdirSync(testdata).filter((f) => f.endsWith('.out.yaml'));

  test.each(goldens)('%s', async (name) => {
    expect(await envoyRejects(goldenConfig(name))).toBeUndefined();
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'fuzzed AuthorizationPolicies, seed %i: 40 policies, nothing refused',
    async (seed) => {
      const c = WaypointCase.parse({
        description: `fuzz ${String(seed)}`,
        waypoint: 'default/waypoint',
        services: [
          {
            name: 'api',
            vips: ['10.96.10.1'],
            ports: [{ port: 80 }, { port: 6379, protocol: 'tcp' }],
            waypoint: 'default/waypoint',
            endpoints: [{ address: '10.244.10.1' }],
          },
        ],
        authorizationPolicies: fuzzedPolicies(seed, 40),
      });
      const r = waypointResources(c.model, c.waypoint);
      const config = {
        listeners: r.listeners,
        clusters: r.clusters,
        routes: r.routes,
        endpoints: r.endpoints,
      };
      expect(await envoyRejects(config)).toBeUndefined();
    },
  );
});
