// Upstream istiod as the oracle, on the same cluster state as Ambit's control plane: both discover the same two
// namespaces (istiod by its own label and revision, Ambit by its revision's), and what each serves ztunnel there — the
// `istio.workload.Address` and `istio.security.Authorization` resources of the workload API — must be equal, apart
// from the differences `deliberate` names.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import { AdsTestClient } from '../src/testing/ads-client.ts';
import { decodeResource, typeUrls } from '../src/xds/proto/protos.ts';
import { serviceAccountToken } from './harness/ca-client.ts';
import { kubectl, testCluster } from './harness/cluster.ts';
import { oracleLabel, startIstiod, type Istiod } from './harness/istiod.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { settle } from './harness/until.ts';
import { waypointNames, waypointStatus, wdsState } from './fixtures/oracle-wds-state.ts';

const id = randomBytes(3).toString('hex');
const ns = `oracle-${id}`;
const shared = `oracle-shared-${id}`;

type Resources = Map<string, unknown>;

/** What istiod serves for the state, apart from the deliberate differences: Services and workloads, policies. */
const addressCount = 30;
const authorizationCount = 6;

/** Every resource of `typeUrl` a ztunnel of `istioNs` is sent on connecting, by name. */
async function wds(typeUrl: string, port: number, istioNs: string, token?: string): Promise<Resources> {
  const node = { id: `ztunnel~127.0.0.1~ztunnel-x2x7q.${istioNs}~${istioNs}.svc.cluster.local` };
  const client = new AdsTestClient(`127.0.0.1:${String(port)}`, node, token ? { token } : {});
  try {
    const s = client.delta();
    s.send({ typeUrl });
    const r = await s.next(20_000);
    s.end();
    return new Map(r.resources.map((x) => [x.name, decodeResource(typeUrl, x.resource.value)]));
  } finally {
    client.close();
  }
}

/**
 * Where Ambit deliberately differs from istiod on this state (README, "Where Ambit differs from istiod"): the
 * resource, the field (`undefined`: the whole resource) and what each sends. The test requires exactly these values,
 * then sets the field aside and requires everything else equal.
 */
interface Deliberate {
  typeUrl: string;
  resource: string;
  field?: string;
  istiod: unknown;
  ambit: unknown;
  why: string;
}

const deliberate: Deliberate[] = [
  {
    typeUrl: typeUrls.address,
    resource: `Kubernetes/networking.istio.io/ServiceEntry/${ns}/static/127.0.60.10`,
    field: 'workload.authorizationPolicies',
    istiod: ['allow-l7-on-ztunnel', 'allow-nothing', 'allow-plain', 'deny-all-ports', 'deny-l7-on-ztunnel'].map(
      (p) => `${ns}/${p}`,
    ),
    ambit: undefined,
    why: 'the endpoint of a ServiceEntry without labels: istiod lists every selector policy of the namespace (its label filter is skipped for nil labels), Ambit only those whose selector matches',
  },
  {
    typeUrl: typeUrls.authorization,
    resource: `${ns}/deny-l7-on-ztunnel`,
    field: 'groups',
    istiod: [{ rules: [{ matches: [{}] }] }],
    ambit: [{}],
    why: 'a DENY rule with only HTTP conditions: istiod sends an empty match, which ztunnel skips, so the policy denies nothing (istio/istio#61126); Ambit sends a rule without conditions, which denies every connection, as the policy status says',
  },
  ...['dns-hostname/api.backend.example', 'dns-implicit/implicit.example.com'].map((endpoint) => ({
    typeUrl: typeUrls.address,
    resource: `Kubernetes/networking.istio.io/ServiceEntry/${ns}/${endpoint}`,
    istiod: expect.objectContaining({ workload: expect.objectContaining({ hostname: endpoint.split('/')[1] }) }),
    ambit: undefined,
    why: 'a DNS ServiceEntry endpoint that is a hostname (or none, so the host itself): istiod sends a workload ztunnel resolves by DNS; Ambit serves IP endpoints only and says so in the ServiceEntry status',
  })),
];

/** The deliberate differences about resources of `typeUrl`. */
const deliberateFor = (typeUrl: string) => deliberate.filter((d) => d.typeUrl === typeUrl);

/**
 * A copy of one side's resources of `typeUrl` without the deliberate differences, and what it had in their place
 * (`undefined` where it had nothing).
 */
function setAside(resources: Record<string, unknown>, typeUrl: string) {
  const rest = structuredClone(resources);
  const found = deliberateFor(typeUrl).map((d) => {
    const path = [d.resource, ...(d.field?.split('.') ?? [])];
    const key = path.pop() ?? '';
    const holder = path.reduce<Record<string, unknown> | undefined>(
      (o, k) => o?.[k] as Record<string, unknown> | undefined,
      rest,
    );
    const value = holder?.[key];
    if (holder) Reflect.deleteProperty(holder, key);
    return value;
  });
  return { rest, found };
}

/** The resources about the test's namespaces: Services `<ns>/<host>`, workloads `<cluster>/<group>/<kind>/<ns>/…`. */
const ofTheTest = (m: Resources): Record<string, unknown> =>
  Object.fromEntries(
    [...m]
      .filter(([name]) => [ns, shared].some((n) => name.startsWith(`${n}/`) || name.includes(`/${n}/`)))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

describe('istiod as the oracle', () => {
  let rev: TestRevision;
  let istiod: Istiod;
  let ztunnelToken: string;

  /**
   * Both control planes' resources of a type, the deliberate differences set aside: once istiod's hold `count` and
   * Ambit's have caught up, or after 30 s.
   */
  const both = (typeUrl: string, count: number) =>
    settle(
      async () => ({
        theirs: setAside(ofTheTest(await wds(typeUrl, istiod.xdsPort, istiod.namespace)), typeUrl),
        ours: setAside(ofTheTest(await wds(typeUrl, rev.controlPlane.xdsPort, rev.namespace, ztunnelToken)), typeUrl),
      }),
      ({ theirs, ours }) => Object.keys(theirs.rest).length >= count && isDeepStrictEqual(ours.rest, theirs.rest),
    );

  /** What each side has where it deliberately differs about resources of `typeUrl`, and what the test expects. */
  function differences(typeUrl: string, theirs: ReturnType<typeof setAside>, ours: ReturnType<typeof setAside>) {
    const about = deliberateFor(typeUrl);
    return {
      actual: about.map((d, i) => ({ why: d.why, istiod: theirs.found[i], ambit: ours.found[i] })),
      expected: about.map((d) => ({ why: d.why, istiod: d.istiod, ambit: d.ambit })),
    };
  }

  beforeAll(async () => {
    rev = await startRevision(`diff-${id}`, `istio-diff-${id}`);
    istiod = await startIstiod(await testCluster(), `istiod-diff-${id}`, `oracle-${id}`);
    // Not labelled istio.io/dataplane-mode: ambient (pods opt in by the CNI's annotation): a namespace so labelled
    // without a revision counts as using the operator's default revision, whose status would change when it goes.
    await rev.createNamespace(ns, shared);
    await kubectl(['label', 'namespace', ns, shared, `${oracleLabel}=${istiod.revision}`]);
    for (const istioNs of [rev.namespace, istiod.namespace])
      await kubectl(['create', 'serviceaccount', 'ztunnel', '-n', istioNs]);
    ztunnelToken = await serviceAccountToken(rev.namespace, 'ztunnel');
    await kubectl(['apply', '-f', '-'], {
      input: wdsState(ns, shared, `unserved-${id}`)
        .map((d) => dump(d))
        .join('---\n'),
    });
    for (const [namespace, name] of waypointNames(ns, shared)) {
      await kubectl([
        ...['patch', 'gateway', name, '-n', namespace, '--subresource=status', '--type=merge'],
        ...['-p', JSON.stringify(waypointStatus(namespace, name))],
      ]);
    }
    await kubectl(['wait', '-n', ns, '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
  });

  afterAll(async () => {
    await istiod.stop();
    await rev.remove(ns, shared);
  });

  test('Services, pods, WorkloadEntries and ServiceEntries: the same Address resources from both', async () => {
    const { theirs, ours } = await both(typeUrls.address, addressCount);
    expect(Object.keys(theirs.rest)).toHaveLength(addressCount);
    expect(ours.rest).toEqual(theirs.rest);
    const { actual, expected } = differences(typeUrls.address, theirs, ours);
    expect(actual).toEqual(expected);
  });

  test('AuthorizationPolicies: the same Authorization resources from both', async () => {
    const { theirs, ours } = await both(typeUrls.authorization, authorizationCount);
    expect(Object.keys(theirs.rest)).toHaveLength(authorizationCount);
    expect(ours.rest).toEqual(theirs.rest);
    const { actual, expected } = differences(typeUrls.authorization, theirs, ours);
    expect(actual).toEqual(expected);
  });
});
