// Upstream istiod as the oracle for the waypoint controller: the same Gateways, one set for istiod's revision and one
// for Ambit's (so the two never act on the same objects), both control planes fed the ConfigMaps istiod's own chart
// renders for the ambient profile, must give the same Gateway status and the same ServiceAccount, Deployment and
// Service — down to the pod template's environment and PROXY_CONFIG, so that neither re-rolls the other's waypoint
// pods when it takes over.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import { kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { startControlPlane, type ControlPlaneProcess } from './harness/control-plane.ts';
import { applyChartConfigMaps, oracleLabel, startIstiod, type Istiod } from './harness/istiod.ts';
import { settle } from './harness/until.ts';

const id = randomBytes(3).toString('hex');

interface Side {
  /** The control plane's namespace and revision. */
  istioNs: string;
  revision: string;
  /** Where its Gateways are. */
  ns: string;
}

const theirs: Side = { istioNs: `istiod-wp-${id}`, revision: `oracle-wp-${id}`, ns: `oracle-wp-theirs-${id}` };
const ours: Side = { istioNs: `ambit-cp-${id}`, revision: `ambit-wp-${id}`, ns: `oracle-wp-ours-${id}` };

const hbone = { name: 'mesh', port: 15008, protocol: 'HBONE' };

/** The Gateways (and their parameter ConfigMaps) of the test, for one side. */
function state(side: Side): object[] {
  const gateway = (name: string, spec: object = {}, labels: Record<string, string> = {}) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: side.ns, labels: { 'istio.io/rev': side.revision, ...labels } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [hbone], ...spec },
  });
  const params = (name: string, deployment: object) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: side.ns },
    data: { deployment: dump(deployment) },
  });
  const parametersRef = (name: string) => ({
    infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name } },
  });
  return [
    params('one-request', {
      spec: { template: { spec: { containers: [{ name: 'istio-proxy', resources: { requests: { cpu: '200m' } } }] } } },
    }),
    gateway('plain'),
    gateway('for-workload', {}, { 'istio.io/waypoint-for': 'workload' }),
    gateway('networked', {}, { 'topology.istio.io/network': 'net-1' }),
    gateway('overlaid', parametersRef('one-request')),
  ];
}

const gatewayNames = ['plain', 'for-workload', 'networked', 'overlaid'];

type Json = Record<string, unknown>;

/** The object as text, with each side's names made the same. */
function neutral(side: Side, o: unknown): unknown {
  const text = JSON.stringify(o)
    .replaceAll(side.istioNs, 'ISTIO_NS')
    .replaceAll(side.revision, 'REVISION')
    .replaceAll(side.ns, 'NS');
  return JSON.parse(text);
}

const volatileMeta = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation'];

/**
 * Where Ambit deliberately differs (README, "Where Ambit differs from istiod"), in object metadata only, so neither
 * re-rolls the other's pods: the hash of what it applied (`ambit.io/applied-hash`, how it writes nothing at steady
 * state), and its owner reference to the Gateway marked `controller: true`.
 */
const appliedHash = 'ambit.io/applied-hash';

function withoutVolatile(o: Json, side: Side): Json {
  const metadata = { ...(o['metadata'] as Json) };
  for (const k of volatileMeta) Reflect.deleteProperty(metadata, k);
  const annotations = { ...(metadata['annotations'] as Record<string, string> | undefined) };
  Reflect.deleteProperty(annotations, 'deployment.kubernetes.io/revision');
  if (side === ours) {
    expect(annotations[appliedHash]).toMatch(/^[0-9a-f]{16}$/);
    Reflect.deleteProperty(annotations, appliedHash);
  }
  metadata['annotations'] = annotations;
  metadata['ownerReferences'] = (metadata['ownerReferences'] as Json[] | undefined)?.map((r) => {
    if (side === ours) expect(r['controller']).toBe(true);
    const { controller: _, ...rest } = r;
    return { ...rest, uid: 'UID' };
  });
  const spec = { ...(o['spec'] as Json | undefined) };
  for (const k of ['clusterIP', 'clusterIPs']) Reflect.deleteProperty(spec, k);
  return { kind: o['kind'], metadata, spec };
}

/** What one side's controller made of the Gateways: their status, and the objects of each deployed waypoint. */
async function observe(side: Side) {
  const status: Record<string, unknown> = {};
  for (const name of gatewayNames) {
    const g = await kubectlJson<{ status?: { conditions?: Json[]; listeners?: Json[]; addresses?: Json[] } }>([
      ...['get', 'gateway', name, '-n', side.ns, '-o', 'json'],
    ]);
    const conditions = (c: Json[] | undefined) =>
      (c ?? []).map((x) => ({ type: x['type'], status: x['status'], reason: x['reason'], message: x['message'] }));
    status[name] = {
      conditions: conditions(g.status?.conditions),
      listeners: (g.status?.listeners ?? []).map((l) => ({
        name: l['name'],
        attachedRoutes: l['attachedRoutes'],
        supportedKinds: l['supportedKinds'],
        conditions: conditions(l['conditions'] as Json[] | undefined),
      })),
      // The Service's cluster IP differs; its kind and the hostname must not.
      addresses: g.status?.addresses?.map((a) => (a['type'] === 'IPAddress' ? { ...a, value: 'CLUSTER_IP' } : a)),
    };
  }
  const objects: Record<string, unknown> = {};
  for (const kind of ['serviceaccount', 'deployment', 'service', 'horizontalpodautoscaler', 'poddisruptionbudget']) {
    const list = await kubectlJson<{ items: Json[] }>(['get', kind, '-n', side.ns, '-o', 'json']);
    for (const o of list.items) {
      const name = (o['metadata'] as { name: string }).name;
      if (kind === 'serviceaccount' && name === 'default') continue;
      objects[`${kind}/${name}`] = withoutVolatile(o, side);
    }
  }
  return neutral(side, { status, objects }) as { status: Json; objects: Json };
}

describe('istiod as the oracle for waypoints', () => {
  let istiod: Istiod;
  let controlPlane: ControlPlaneProcess;

  beforeAll(async () => {
    const cluster = await testCluster();
    istiod = await startIstiod(cluster, theirs.istioNs, theirs.revision);
    await kubectl(['create', 'namespace', ours.istioNs]);
    await applyChartConfigMaps(ours.istioNs, ours.revision);
    controlPlane = await startControlPlane(cluster, ours.istioNs, ours.revision);
    for (const side of [theirs, ours]) {
      await kubectl(['create', 'namespace', side.ns]);
      await kubectl(['label', 'namespace', side.ns, `${oracleLabel}=${side.revision}`]);
      await kubectl(['apply', '-f', '-'], {
        input: state(side)
          .map((d) => dump(d))
          .join('---\n'),
      });
    }
    // istiod's waypoints come up; Ambit's are compared with them, given time to catch up.
    await kubectl([
      ...['wait', '-n', theirs.ns, '--for=condition=Programmed', '--timeout=60s'],
      ...gatewayNames.map((n) => `gateway/${n}`),
    ]);
  });

  afterAll(async () => {
    await controlPlane.stop();
    await istiod.stop();
    await kubectl(['delete', 'namespace', ours.istioNs, theirs.ns, ours.ns, '--wait=false']);
  });

  /** Both sides' observations, once equal (their controllers may still be writing), or after 30 s. */
  const both = () =>
    settle(
      async () => ({ t: await observe(theirs), o: await observe(ours) }),
      ({ t, o }) => isDeepStrictEqual(t, o),
    );

  test('the same Gateway status and the same waypoint objects from both', async () => {
    const { t, o } = await both();
    expect(Object.keys(t.objects).sort()).toEqual(
      gatewayNames.flatMap((n) => [`deployment/${n}`, `service/${n}`, `serviceaccount/${n}`]).sort(),
    );
    expect(o).toEqual(t);
  });
});
