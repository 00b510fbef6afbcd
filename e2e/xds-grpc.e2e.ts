// Proxyless gRPC through the control plane's xDS server: plain gRPC echo servers on 127.0.0.1 joined to Services
// by WorkloadEntries (EndpointSlices refuse loopback addresses), a real @grpc/grpc-js-xds client bootstrapped
// against `ambit control-plane` through its pod's pilot-agent (Istio's grpc-agent, which sends the pod's token), and
// routing that follows HTTPRoutes and VirtualServices changed in the API server.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import { kubectl, testCluster } from './harness/cluster.ts';
import { startGrpcAgent, type GrpcAgent } from './harness/grpc-agent.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { watchObject } from './harness/wait.ts';
import { startEchoServer, type EchoServer } from './xds/echo-server.ts';
import { GrpcClientProcess, startXdsGrpcServer } from './xds/grpc-client-process.ts';
import { freeLoopbackPorts } from './cluster/ports.ts';

const id = randomBytes(3).toString('hex');
const revision = `grpc-${id}`;
const istioNs = `istio-grpc-${id}`;
const ns = `grpc-${id}`;
const target = `echo.${ns}.svc.cluster.local:7070`;

type ParentStatus = { controllerName: string; conditions?: { type: string; status: string; reason: string }[] };
const parentConditions = (o: KubeObject | undefined) =>
  ((o?.['status'] as { parents?: ParentStatus[] } | undefined)?.parents ?? []).find(
    (p) => p.controllerName === 'istio.io/gateway-controller',
  )?.conditions ?? [];

const apply = (...docs: object[]) => kubectl(['apply', '-f', '-'], { input: docs.map((d) => dump(d)).join('---\n') });

const service = (name: string, selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ name: 'grpc', port: 7070 }] },
});

const workloadEntry = (server: EchoServer, version: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name: server.name, namespace: ns },
  spec: { address: '127.0.0.1', ports: { grpc: server.port }, labels: { app: 'echo', version } },
});

const httpRoute = (backends: { name: string; weight?: number }[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'echo', namespace: ns },
  spec: {
    parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 7070 }],
    rules: [
      { backendRefs: backends.map((b) => ({ name: b.name, port: 7070, ...(b.weight ? { weight: b.weight } : {}) })) },
    ],
  },
});

describe('proxyless gRPC', () => {
  let rev: TestRevision;
  let client: GrpcClientProcess;
  let secure: { stop: () => void } | undefined;
  const servers: EchoServer[] = [];
  const agents: GrpcAgent[] = [];
  /** The pilot-agent of pod `name` (service account `name`), through which its gRPC process reaches the control plane. */
  const agent = async (name: string) => {
    await kubectl(['create', 'serviceaccount', name, '-n', ns]);
    const a = await startGrpcAgent(await testCluster(), {
      namespace: ns,
      pod: name,
      serviceAccount: name,
      controlPlane: { address: `127.0.0.1:${String(rev.controlPlane.tlsPort)}`, san: rev.controlPlane.san },
    });
    agents.push(a);
    return a;
  };

  beforeAll(async () => {
    rev = await startRevision(revision, istioNs);
    servers.push(await startEchoServer('echo-v1'), await startEchoServer('echo-v2'));
    await rev.createNamespace(ns);
    const [v1, v2] = servers as [EchoServer, EchoServer];
    await apply(
      service('echo', { app: 'echo' }),
      service('echo-v1', { app: 'echo', version: 'v1' }),
      service('echo-v2', { app: 'echo', version: 'v2' }),
      workloadEntry(v1, 'v1'),
      workloadEntry(v2, 'v2'),
    );
    const clientAgent = await agent('grpc-client');
    client = new GrpcClientProcess(clientAgent.bootstrap);
  });

  afterAll(async () => {
    secure?.stop();
    client.stop();
    for (const a of agents) await a.stop();
    for (const s of servers) await s.stop();
    await rev.remove(ns);
  });

  test('without routes, calls are balanced over every endpoint of the Service', async () => {
    const counts = await client.until(40, target, (c) => (c['echo-v1'] ?? 0) > 0 && (c['echo-v2'] ?? 0) > 0);
    expect((counts['echo-v1'] ?? 0) + (counts['echo-v2'] ?? 0)).toBe(40);
  });

  test('an HTTPRoute with a Service parent sending everything to echo-v1: every call lands on v1', async () => {
    await apply(httpRoute([{ name: 'echo-v1' }]));
    await client.until(20, target, (c) => c['echo-v1'] === 20);
    expect(await client.calls(100, target)).toEqual({ 'echo-v1': 100 });
  });

  test('the HTTPRoute reports its Service parent: accepted, references resolved, and no waypoint asked for', async () => {
    const route = await watchObject(resources.httpRoute, 'echo', ns, (o) => parentConditions(o).length >= 3);
    const conditions = Object.fromEntries(parentConditions(route).map((c) => [c.type, c]));
    expect(conditions['Accepted']).toMatchObject({ status: 'True', reason: 'Accepted' });
    expect(conditions['ResolvedRefs']).toMatchObject({ status: 'True', reason: 'ResolvedRefs' });
    expect(conditions['ResolvedWaypoints']).toMatchObject({ status: 'False', reason: 'MissingUseWaypointLabel' });
  });

  test('weights 80/20: the split is within tolerance over 500 calls, after a live change of the route', async () => {
    await apply(
      httpRoute([
        { name: 'echo-v1', weight: 80 },
        { name: 'echo-v2', weight: 20 },
      ]),
    );
    await client.until(50, target, (c) => (c['echo-v2'] ?? 0) > 0);
    const counts = await client.calls(500, target);
    expect((counts['echo-v1'] ?? 0) + (counts['echo-v2'] ?? 0)).toBe(500);
    // 80% of 500 is 400 with a standard deviation near 9: ±50 is more than 5 of them.
    expect(counts['echo-v1']).toBeGreaterThan(350);
    expect(counts['echo-v1']).toBeLessThan(450);
  });

  test('a VirtualService fault abort returns the configured status', async () => {
    await kubectl(['-n', ns, 'delete', 'httproute', 'echo']);
    await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'echo-fault', namespace: ns },
      spec: {
        hosts: ['echo'],
        http: [
          {
            fault: { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } },
            route: [{ destination: { host: 'echo-v1', port: { number: 7070 } } }],
          },
        ],
      },
    });
    await client.until(20, target, (c) => c['code=14'] === 20);
    await kubectl(['-n', ns, 'delete', 'virtualservice', 'echo-fault']);
    await client.until(20, target, (c) => (c['code=14'] ?? 0) === 0);
  });

  test('an xDS-enabled gRPC server enforces an AuthorizationPolicy selecting it: allowed callers pass, denied ones get PERMISSION_DENIED', async () => {
    const [port] = (await freeLoopbackPorts(1)) as [number];
    await apply(service('echo-secure', { app: 'secure' }), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: { name: 'echo-secure', namespace: ns },
      spec: { address: '127.0.0.1', ports: { grpc: port }, labels: { app: 'secure' } },
    });
    await apply({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-mallory', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'secure' } },
        action: 'DENY',
        rules: [{ when: [{ key: 'request.headers[x-user]', values: ['mallory'] }] }],
      },
    });
    secure = await startXdsGrpcServer((await agent('echo-secure')).bootstrap, 'echo-secure', port);
    const secureTarget = `echo-secure.${ns}.svc.cluster.local:7070`;
    await client.until(10, secureTarget, (c) => c['echo-secure'] === 10, 'x-user=alice');
    await client.until(10, secureTarget, (c) => c['code=7'] === 10, 'x-user=mallory');
    await kubectl(['-n', ns, 'delete', 'authorizationpolicy', 'deny-mallory']);
    await client.until(10, secureTarget, (c) => c['echo-secure'] === 10, 'x-user=mallory');
  });
});
