// Upstream Envoy (`--mode validate`) accepts every waypoint configuration Ambit generates: each golden output of the
// waypoint generator, the configuration for a few hundred AuthorizationPolicies with random values — addresses,
// CIDRs and ports valid or not, principals, hosts and headers with regex and wildcard characters — and for
// VirtualServices and HTTPRoutes with random matches (regular expressions RE2 refuses or too large), timeouts,
// retries and faults, through Ambit's translation. Envoy refuses a whole listener or route update for one malformed
// value, so no policy or route may be able to freeze a waypoint.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { load } from 'js-yaml';
import { routeTables } from '../src/ambient/translate/routes.ts';
import type { KubeObject } from '../src/kube/objects.ts';
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

/** Random choices drawn from `random(seed)`. */
function chooser(seed: number) {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  const some = <T>(xs: readonly T[]) => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(xs));
  const maybe = <T>(make: () => T) => (next() < 0.5 ? make() : undefined);
  return { next, pick, some, maybe };
}

/** The configuration the waypoint is sent for Service `api` with `ports`, bound to it, and what else `more` holds. */
function apiWaypointConfig(description: string, ports: object[], more: object): WaypointConfig {
  const c = WaypointCase.parse({
    description,
    waypoint: 'default/waypoint',
    services: [
      {
        name: 'api',
        vips: ['10.96.10.1'],
        ports,
        waypoint: 'default/waypoint',
        endpoints: [{ address: '10.244.10.1' }],
      },
    ],
    ...more,
  });
  const r = waypointResources(c.model, c.waypoint);
  return { listeners: r.listeners, clusters: r.clusters, routes: r.routes, endpoints: r.endpoints };
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
  const { next, pick, some, maybe } = chooser(seed);
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

const regexes = ['/v[0-9]+/.*', '(', '[a-', '(?<name>x)', '(?=x)', '\\1', 'x{1001}', '.'.repeat(120), 'ü+', 'a|b', ''];
const durations = ['0s', '1s', '1.5s', '100ms', '87600h', '99999999999999h', 'x', '-1s'];

/**
 * VirtualService http rules and HTTPRoute rules for Service `api` with random matches (regular expressions valid or
 * not), header operations, timeouts, retries and faults: what users can write, through Ambit's translation.
 */
function fuzzedRouteObjects(seed: number, count: number): KubeObject[] {
  const { pick, maybe } = chooser(seed);
  const vsString = () => pick([{ exact: pick(strings) }, { prefix: pick(strings) }, { regex: pick(regexes) }]);
  const vsRules = Array.from({ length: count }, () => ({
    match: maybe(() => [
      {
        uri: maybe(vsString),
        headers: maybe(() => ({ 'x-canary': vsString() })),
        queryParams: maybe(() => ({ v: vsString() })),
      },
    ]),
    route: [{ destination: { host: 'api' } }],
    timeout: maybe(() => pick(durations)),
    retries: maybe(() => ({ attempts: pick([0, 1, 3, -1]), perTryTimeout: pick(durations) })),
    fault: maybe(() => ({
      delay: { fixedDelay: pick(durations), percentage: { value: pick([0, 50, 100, 101, -1]) } },
      abort: maybe(() => ({ httpStatus: pick([503, 0, 99, 1000]), percentage: { value: pick([50, 150]) } })),
    })),
  }));
  const routeRules = Array.from({ length: count }, () => ({
    matches: [
      {
        // Exact and PathPrefix values are what the HTTPRoute CRD admits (absolute paths of URL characters).
        path: maybe(() => {
          const type = pick(['Exact', 'PathPrefix', 'RegularExpression']);
          return { type, value: type === 'RegularExpression' ? pick(regexes) : pick(['/a', '/api/', '/']) };
        }),
        headers: maybe(() => [{ type: pick(['Exact', 'RegularExpression']), name: 'x-canary', value: pick(regexes) }]),
        queryParams: maybe(() => [{ type: pick(['Exact', 'RegularExpression']), name: 'v', value: pick(regexes) }]),
      },
    ],
    backendRefs: [{ name: 'api', port: 80 }],
    timeouts: maybe(() => ({ request: pick(durations) })),
  }));
  const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('api'), spec: { ports: [{ name: 'http', port: 80 }] } },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta('api'),
      spec: { hosts: ['api'], http: vsRules },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta('api'),
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'api', port: 80 }], rules: routeRules },
    },
  ] as KubeObject[];
}

describe('upstream Envoy accepts what the waypoint generator makes', () => {
  const goldens = readdirSync(testdata).filter((f) => f.endsWith('.out.yaml'));

  test.each(goldens)('%s', async (name) => {
    expect(await envoyRejects(goldenConfig(name))).toBeUndefined();
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'fuzzed AuthorizationPolicies, seed %i: 40 policies, nothing refused',
    async (seed) => {
      const config = apiWaypointConfig(`fuzz ${String(seed)}`, [{ port: 80 }, { port: 6379, protocol: 'tcp' }], {
        authorizationPolicies: fuzzedPolicies(seed, 40),
      });
      expect(await envoyRejects(config)).toBeUndefined();
    },
  );

  test.each([1, 2, 3, 4])(
    'fuzzed VirtualServices and HTTPRoutes, seed %i: 2 × 30 rules, nothing refused',
    async (seed) => {
      const objects = fuzzedRouteObjects(seed, 30);
      const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
      const tables = routeTables({
        services: ofKind('Service'),
        namespaces: ofKind('Namespace'),
        clusterDomain: 'cluster.local',
        httpRoutes: ofKind('HTTPRoute'),
        virtualServices: ofKind('VirtualService'),
      });
      const config = apiWaypointConfig(`route fuzz ${String(seed)}`, [{ port: 80 }], { routes: tables });
      expect(config.routes.length).toBeGreaterThan(0);
      expect(await envoyRejects(config)).toBeUndefined();
    },
  );
});
