// Who may ask the control plane for configuration, against the real API server's TokenReview on both xDS ports:
// a caller without credentials, with a token for another audience or another namespace, or naming a node that is
// not its own is refused with the gRPC status that says so; ztunnel and a waypoint with their own token (or, over
// TLS, a certificate from the mesh CA) are served.
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import { resources } from '../src/kube/resources.ts';
import { AdsTestClient, type NodeInfo } from '../src/testing/ads-client.ts';
import { typeUrls } from '../src/xds/proto/protos.ts';
import { controlPlaneTls, meshRootCert, requestCertificate, serviceAccountToken } from './harness/ca-client.ts';
import { kubectl } from './harness/cluster.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { condition, watchObject } from './harness/wait.ts';

const id = randomBytes(3).toString('hex');
const revision = `xds-auth-${id}`;
const istioNs = `istio-xds-auth-${id}`;
const ns = `xds-auth-${id}`;
const other = `xds-auth-other-${id}`;

const ztunnelNode: NodeInfo = { id: `ztunnel~127.0.0.1~ztunnel-x2x7q.${istioNs}~${istioNs}.svc.cluster.local` };
const waypointNode: NodeInfo = {
  id: `waypoint~127.0.0.1~waypoint-5d8f7c9b4-x2x7q.${ns}~${ns}.svc.cluster.local`,
  metadata: { WORKLOAD_NAME: 'waypoint', SERVICE_ACCOUNT: 'waypoint' },
};

describe('xDS callers prove who they are', () => {
  let rev: TestRevision;
  let root = '';
  const clients: AdsTestClient[] = [];

  beforeAll(async () => {
    rev = await startRevision(revision, istioNs);
    await rev.createNamespace(ns, other);
    const serviceAccount = (name: string, namespace: string) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace },
    });
    const docs = [
      serviceAccount('ztunnel', istioNs),
      serviceAccount('waypoint', ns),
      serviceAccount('sleep', other),
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'waypoint', namespace: ns, labels: { 'istio.io/rev': revision } },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'echo', namespace: ns },
        spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80 }] },
      },
    ];
    await kubectl(['apply', '-f', '-'], { input: docs.map((d) => dump(d)).join('---\n') });
    await watchObject(resources.gateway, 'waypoint', ns, (o) => condition(o, 'Programmed')?.status === 'True', 60_000);
    root = await meshRootCert(ns);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await rev.remove(ns, other);
  });

  const ports = () => ({ plaintext: rev.controlPlane.xdsPort, tls: rev.controlPlane.tlsPort });
  const tls = () => ({ root, san: rev.controlPlane.san });

  /** The first answer to a wildcard request (WDS for ztunnel, CDS for a waypoint), or the status that ended it. */
  async function ask(
    port: 'plaintext' | 'tls',
    node: NodeInfo,
    opts: { token?: string; cert?: { cert: string; key: string } } = {},
  ) {
    const c = new AdsTestClient(`127.0.0.1:${String(ports()[port])}`, node, {
      ...(port === 'tls'
        ? { creds: controlPlaneTls(tls(), opts.cert), options: { 'grpc.ssl_target_name_override': tls().san } }
        : {}),
      ...(opts.token ? { token: opts.token } : {}),
    });
    clients.push(c);
    const s = c.delta();
    s.send({ typeUrl: node.id.startsWith('ztunnel') ? typeUrls.address : typeUrls.cluster });
    return s.next(10_000).then(
      (r) => ({ served: r.resources.map((x) => x.name) }),
      (e: unknown) => {
        const { code, details } = e as { code?: number; details?: string };
        return { code, details };
      },
    );
  }

  describe.each(['plaintext', 'tls'] as const)('on the %s port', (port) => {
    test('no credentials: UNAUTHENTICATED, saying what to send', async () => {
      expect(await ask(port, ztunnelNode)).toEqual({
        code: status.UNAUTHENTICATED,
        details: expect.stringContaining('no credentials sent; send "authorization: Bearer'),
      });
    });

    test('a token for another audience: UNAUTHENTICATED with the reason', async () => {
      const token = await serviceAccountToken(istioNs, 'ztunnel', 'not-istio-ca');
      expect(await ask(port, ztunnelNode, { token })).toEqual({
        code: status.UNAUTHENTICATED,
        details: expect.stringContaining('token refused'),
      });
    });

    test("another namespace's token for ztunnel's node: PERMISSION_DENIED, naming both", async () => {
      const token = await serviceAccountToken(other, 'sleep');
      expect(await ask(port, ztunnelNode, { token })).toEqual({
        code: status.PERMISSION_DENIED,
        details: expect.stringContaining(`is of ${istioNs}, but the caller is ${other}/sleep (by its token)`),
      });
    });

    test('ztunnel with its own token gets the workloads of the mesh', async () => {
      const token = await serviceAccountToken(istioNs, 'ztunnel');
      expect(await ask(port, ztunnelNode, { token })).toEqual({
        served: expect.arrayContaining([`${ns}/echo.${ns}.svc.cluster.local`]),
      });
    });

    test("a waypoint with its own token gets its clusters; a token of its namespace's other account does not", async () => {
      const own = await ask(port, waypointNode, { token: await serviceAccountToken(ns, 'waypoint') });
      expect(own).toEqual({ served: expect.arrayContaining(['main_internal']) });
      await kubectl(['create', 'serviceaccount', `sleep-${port}`, '-n', ns]);
      const sibling = await ask(port, waypointNode, { token: await serviceAccountToken(ns, `sleep-${port}`) });
      expect(sibling).toMatchObject({ code: status.PERMISSION_DENIED });
    });
  });

  test("over TLS, a certificate from the mesh CA is proof enough; the node must still be the certificate's", async () => {
    const issued = await requestCertificate({
      address: `127.0.0.1:${String(rev.controlPlane.tlsPort)}`,
      tls: tls(),
      token: await serviceAccountToken(ns, 'waypoint'),
    });
    expect(await ask('tls', waypointNode, { cert: issued })).toEqual({
      served: expect.arrayContaining(['main_internal']),
    });
    expect(await ask('tls', ztunnelNode, { cert: issued })).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: expect.stringContaining(`the caller is ${ns}/waypoint (by its certificate)`),
    });
  });
});
