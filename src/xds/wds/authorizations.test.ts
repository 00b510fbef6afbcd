// The L7 rule, checked by evaluating the generated resources on connections the way ztunnel does (the semantics in
// authorization.proto's header): an ALLOW must never allow a connection Istio's policy would not, a DENY must never
// let through a connection Istio's policy would deny.
import { describe, expect, test } from '@jest/globals';
import { MeshModel, type AuthorizationPolicy, type PolicyRule } from '../model/model.ts';
import { authorizationChanges, authorizationResources } from './authorizations.ts';
import { parseCidr } from '../../net/ip.ts';

interface Connection {
  principal?: string;
  namespace?: string;
  srcIp: string;
  dstIp: string;
  dstPort: number;
}

interface StringMatch {
  exact?: string;
  prefix?: string;
  suffix?: string;
  presence?: object;
}
type Cidr = { address: string; length?: number };
type Match = Partial<Record<string, (StringMatch | Cidr | number)[]>>;
interface Authorization {
  action?: 'DENY';
  scope?: string;
  groups?: { rules?: { matches?: Match[] }[] }[];
}

const text = (m: StringMatch, v: string | undefined) =>
  v !== undefined &&
  v !== '' &&
  (m.presence !== undefined ||
    m.exact === v ||
    (m.prefix !== undefined && v.startsWith(m.prefix)) ||
    (m.suffix !== undefined && v.endsWith(m.suffix)));

function inCidr(c: Cidr, ip: string): boolean {
  const net = Buffer.from(c.address, 'base64');
  const bytes = parseCidr(ip)!.bytes;
  if (net.length !== bytes.length) return false;
  const bits = c.length ?? 0;
  for (let i = 0; i < bits; i++) {
    const bit = (b: Uint8Array) => (b[i >> 3]! >> (7 - (i & 7))) & 1;
    if (bit(net) !== bit(bytes)) return false;
  }
  return true;
}

function field(m: Match, name: string, test: (v: never) => boolean): boolean {
  const pos = m[name] ?? [];
  const neg = m[`not${name[0]!.toUpperCase()}${name.slice(1)}`] ?? [];
  return (pos.length === 0 || pos.some((v) => test(v as never))) && !neg.some((v) => test(v as never));
}

function matchOk(m: Match, c: Connection): boolean {
  if (Object.keys(m).length === 0) return false;
  return (
    field(m, 'principals', (s: StringMatch) => text(s, c.principal)) &&
    field(m, 'namespaces', (s: StringMatch) => text(s, c.namespace)) &&
    field(m, 'sourceIps', (a: Cidr) => inCidr(a, c.srcIp)) &&
    field(m, 'destinationIps', (a: Cidr) => inCidr(a, c.dstIp)) &&
    field(m, 'destinationPorts', (p: number) => p === c.dstPort)
  );
}

/** Whether the policy matches the connection, as ztunnel evaluates it. */
function matches(a: Authorization, c: Connection): boolean {
  return (a.groups ?? []).some((g) =>
    (g.rules ?? []).every((r) => (r.matches ?? []).length === 0 || (r.matches ?? []).some((m) => matchOk(m, c))),
  );
}

function generate(action: 'ALLOW' | 'DENY', rules: PolicyRule[]): Authorization {
  const policy: AuthorizationPolicy = { name: 'p', namespace: 'demo', action, targetRefs: [], rules };
  const model = MeshModel.parse({ authorizationPolicies: [policy] });
  return authorizationResources(model).get('demo/p') as Authorization;
}

const peer = (sa: string, ns = 'demo') => ({ principal: `cluster.local/ns/${ns}/sa/${sa}`, namespace: ns });
const conn = (over: Partial<Connection>): Connection => ({
  srcIp: '10.244.0.9',
  dstIp: '10.244.0.5',
  dstPort: 8080,
  ...over,
});

describe('L4 rules are exact', () => {
  test('from, to and when combine as AND, their entries as OR', () => {
    const p = generate('ALLOW', [
      {
        from: [{ source: { principals: ['*/sa/frontend'] } }, { source: { ipBlocks: ['192.168.0.0/16'] } }],
        to: [{ operation: { ports: ['8080'] } }],
        when: [{ key: 'source.namespace', notValues: ['blocked'] }],
      },
    ]);
    expect(matches(p, conn(peer('frontend')))).toBe(true);
    expect(matches(p, conn({ srcIp: '192.168.3.4' }))).toBe(true);
    expect(matches(p, conn({ ...peer('frontend'), dstPort: 9090 }))).toBe(false);
    expect(matches(p, conn(peer('backend')))).toBe(false);
    expect(matches(p, conn(peer('frontend', 'blocked')))).toBe(false);
  });

  test('an empty rule matches everything, no rule nothing', () => {
    expect(matches(generate('ALLOW', [{}]), conn({}))).toBe(true);
    expect(matches(generate('ALLOW', []), conn({}))).toBe(false);
  });
});

describe('ALLOW rules with L7 fields are dropped', () => {
  const p = generate('ALLOW', [
    { from: [{ source: { namespaces: ['demo'] } }], to: [{ operation: { methods: ['GET'], ports: ['8080'] } }] },
    { from: [{ source: { principals: ['cluster.local/ns/ops/sa/admin'] } }] },
  ]);

  test('the L7 rule allows nothing, even what matches its L4 part', () => {
    expect(matches(p, conn(peer('frontend')))).toBe(false);
  });

  test('the other rules still apply', () => {
    expect(matches(p, conn(peer('admin', 'ops')))).toBe(true);
  });

  test('a value that does not parse counts as L7', () => {
    const bad = generate('ALLOW', [{ to: [{ operation: { ports: ['http'] } }] }]);
    expect(bad.groups ?? []).toEqual([]);
  });
});

describe('DENY rules with L7 fields deny their L4 part', () => {
  test('an operation keeps its ports', () => {
    const p = generate('DENY', [{ to: [{ operation: { methods: ['DELETE'], ports: ['8080'] } }] }]);
    expect(matches(p, conn({ dstPort: 8080 }))).toBe(true);
    expect(matches(p, conn({ dstPort: 9090 }))).toBe(false);
  });

  test('an L7-only entry makes its clause match anything', () => {
    const p = generate('DENY', [
      {
        from: [{ source: { namespaces: ['guest'] } }],
        to: [{ operation: { ports: ['22'] } }, { operation: { paths: ['/admin'] } }],
        when: [{ key: 'request.headers[x-debug]', values: ['1'] }],
      },
    ]);
    expect(matches(p, conn({ namespace: 'guest', dstPort: 8080 }))).toBe(true);
    expect(matches(p, conn({ namespace: 'demo', dstPort: 8080 }))).toBe(false);
  });

  test('a rule with nothing L4 left denies everything', () => {
    const p = generate('DENY', [{ to: [{ operation: { paths: ['/debug'] } }] }]);
    expect(matches(p, conn({}))).toBe(true);
    expect(matches(p, conn({ ...peer('anyone', 'elsewhere'), dstPort: 1 }))).toBe(true);
  });

  test('a value that does not parse is dropped with its whole field', () => {
    const p = generate('DENY', [{ from: [{ source: { ipBlocks: ['10.0.0.0/8', 'bogus'] } }] }]);
    expect(matches(p, conn({ srcIp: '172.16.0.1' }))).toBe(true);
  });
});

describe('authorizationChanges', () => {
  const model = MeshModel.parse({
    rootNamespace: 'istio-system',
    authorizationPolicies: [
      { name: 'fine', namespace: 'demo', rules: [{ to: [{ operation: { ports: ['80'] } }] }] },
      { name: 'l7', namespace: 'demo', rules: [{}, { to: [{ operation: { paths: ['/x'], notMethods: ['GET'] } }] }] },
      {
        name: 'deny',
        namespace: 'demo',
        action: 'DENY',
        rules: [{ when: [{ key: 'connection.sni', values: ['a'] }] }],
      },
      { name: 'audit', namespace: 'demo', action: 'AUDIT' },
      {
        name: 'waypoint',
        namespace: 'demo',
        targetRefs: [{ group: '', kind: 'Service', name: 'web' }],
        rules: [{ to: [{ operation: { paths: ['/x'] } }] }],
      },
    ],
  });

  test('lists the policies ztunnel enforces differently, by name', () => {
    expect(authorizationChanges(model)).toEqual([
      { policy: 'demo/audit', effect: 'not-enforced', action: 'AUDIT' },
      { policy: 'demo/deny', effect: 'deny-rules-widened', rules: [0], fields: ['when[connection.sni]'] },
      {
        policy: 'demo/l7',
        effect: 'allow-rules-dropped',
        rules: [1],
        fields: ['to.operation.notMethods', 'to.operation.paths'],
      },
    ]);
  });

  test('sends neither waypoint policies nor unsupported actions', () => {
    expect([...authorizationResources(model).keys()]).toEqual(['demo/deny', 'demo/fine', 'demo/l7']);
  });
});

describe('scope', () => {
  const model = MeshModel.parse({
    rootNamespace: 'istio-system',
    authorizationPolicies: [
      { name: 'mesh', namespace: 'istio-system' },
      { name: 'mesh-selected', namespace: 'istio-system', selector: { app: 'x' } },
      { name: 'ns', namespace: 'demo' },
      { name: 'empty-selector', namespace: 'demo', selector: {} },
      { name: 'selected', namespace: 'demo', selector: { app: 'x' } },
    ],
  });

  test('follows the namespace and selector', () => {
    const scopes = [...authorizationResources(model)].map(([n, r]) => [n, (r as Authorization).scope ?? 'GLOBAL']);
    expect(scopes).toEqual([
      ['demo/empty-selector', 'NAMESPACE'],
      ['demo/ns', 'NAMESPACE'],
      ['demo/selected', 'WORKLOAD_SELECTOR'],
      ['istio-system/mesh', 'GLOBAL'],
      ['istio-system/mesh-selected', 'WORKLOAD_SELECTOR'],
    ]);
  });
});
