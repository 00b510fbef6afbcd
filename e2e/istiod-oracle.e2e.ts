// Upstream istiod as the oracle, on the same cluster state as Ambit's control plane: both discover one namespace
// (istiod by its own label and revision, Ambit by its revision's), and what each serves ztunnel for the Services there
// — the `istio.workload.Address` resources of the workload API — must be equal.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import { AdsTestClient } from '../src/testing/ads-client.ts';
import { decodeResource, typeUrls } from '../src/xds/proto/protos.ts';
import { serviceAccountToken } from './harness/ca-client.ts';
import { kubectl, testCluster } from './harness/cluster.ts';
import { oracleLabel, startIstiod, type Istiod } from './harness/istiod.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';

const id = randomBytes(3).toString('hex');
const ns = `oracle-${id}`;

/** Every Address resource a ztunnel of `istioNs` is sent on connecting, by name. */
async function addresses(port: number, istioNs: string, token?: string): Promise<Map<string, unknown>> {
  const node = { id: `ztunnel~127.0.0.1~ztunnel-x2x7q.${istioNs}~${istioNs}.svc.cluster.local` };
  const client = new AdsTestClient(`127.0.0.1:${String(port)}`, node, token ? { token } : {});
  try {
    const s = client.delta();
    s.send({ typeUrl: typeUrls.address });
    const r = await s.next(20_000);
    s.end();
    return new Map(r.resources.map((x) => [x.name, decodeResource(typeUrls.address, x.resource.value)]));
  } finally {
    client.close();
  }
}

describe('istiod as the oracle', () => {
  let rev: TestRevision;
  let istiod: Istiod;

  beforeAll(async () => {
    rev = await startRevision(`diff-${id}`, `istio-diff-${id}`);
    istiod = await startIstiod(await testCluster(), `istiod-diff-${id}`, `oracle-${id}`);
    await rev.createNamespace(ns);
    // Not labelled istio.io/dataplane-mode: ambient (Services do not need it): a namespace so labelled without a
    // revision counts as using the operator's default revision, whose status would change when it goes.
    await kubectl(['label', 'namespace', ns, `${oracleLabel}=${istiod.revision}`]);
    for (const istioNs of [rev.namespace, istiod.namespace])
      await kubectl(['create', 'serviceaccount', 'ztunnel', '-n', istioNs]);
    const service = (name: string, spec: object) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { selector: { app: name }, ...spec },
    });
    await kubectl(['apply', '-f', '-'], {
      input: [
        service('plain', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
        service('named-target', { ports: [{ name: 'grpc', port: 7070, targetPort: 'grpc' }] }),
        service('multi', {
          ports: [
            { name: 'http', port: 80 },
            { name: 'tcp', port: 9000, protocol: 'TCP' },
          ],
        }),
        service('headless', { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }),
        service('local', { internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }] }),
        service('prefer-close', { trafficDistribution: 'PreferClose', ports: [{ name: 'http', port: 80 }] }),
        {
          ...service('annotated', { ports: [{ name: 'http', port: 80 }] }),
          metadata: {
            name: 'annotated',
            namespace: ns,
            annotations: { 'networking.istio.io/traffic-distribution': 'PreferClose' },
          },
        },
        service('not-ready', { publishNotReadyAddresses: true, ports: [{ name: 'http', port: 80 }] }),
        service('same-node', { trafficDistribution: 'PreferSameNode', ports: [{ name: 'http', port: 80 }] }),
        service('local-not-ready', {
          internalTrafficPolicy: 'Local',
          publishNotReadyAddresses: true,
          ports: [{ name: 'http', port: 80 }],
        }),
        service('app-protocol', { ports: [{ name: 'web', port: 8080, appProtocol: 'http2' }] }),
      ]
        .map((d) => dump(d))
        .join('---\n'),
    });
  });

  afterAll(async () => {
    await istiod.stop();
    await rev.remove(ns);
  });

  test('the Services of a namespace: the same Address resources from both', async () => {
    const theirs = await addresses(istiod.xdsPort, istiod.namespace);
    const ours = await addresses(
      rev.controlPlane.xdsPort,
      rev.namespace,
      await serviceAccountToken(rev.namespace, 'ztunnel'),
    );
    const inNs = (m: Map<string, unknown>) => new Map([...m].filter(([name]) => name.startsWith(`${ns}/`)));
    const expected = inNs(theirs);
    expect(expected.size).toBe(11);
    expect(Object.fromEntries(inNs(ours))).toEqual(Object.fromEntries(expected));
  });
});
