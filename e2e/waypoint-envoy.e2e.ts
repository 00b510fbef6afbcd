// Upstream Envoy as a waypoint, configured by our xDS server over delta ADS and given certificates by a test SDS
// (pilot-agent's part): a waypoint Gateway of the cluster, Services bound to it whose endpoints are HTTP servers
// on 127.0.0.1 (WorkloadEntries), and real HBONE requests through it as ztunnel would send them — routed by an
// HTTPRoute, faulted by a VirtualService, denied by an AuthorizationPolicy, each changed live.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import { resources } from '../src/kube/resources.ts';
import { kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { startWaypointEnvoy, type EnvoyProcess } from './harness/envoy.ts';
import { createMeshPki, type MeshIdentity } from './harness/mesh-pki.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { startSdsServer } from './harness/sds-server.ts';
import { condition, watchObject } from './harness/wait.ts';
import { hboneRequest, type TunnelReply } from './xds/hbone-client.ts';
import { until } from './harness/until.ts';

const id = randomBytes(3).toString('hex');
const revision = `envoy-${id}`;
const ns = `wpenvoy-${id}`;

const apply = (...docs: object[]) => kubectl(['apply', '-f', '-'], { input: docs.map((d) => dump(d)).join('---\n') });

const boundService = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, labels: { 'istio.io/use-waypoint': 'waypoint' } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});

const entry = (app: string, port: number) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name: app, namespace: ns },
  spec: { address: '127.0.0.1', ports: { http: port }, labels: { app } },
});

/** An HTTP server on 127.0.0.1 answering `hello from <name>`. */
async function backend(name: string): Promise<Server> {
  const server = createServer((_req, res) => res.end(`hello from ${name}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Envoy's counters by name, from its admin /stats. */
async function stats(envoy: EnvoyProcess): Promise<Map<string, number>> {
  return new Map(
    (await envoy.admin('/stats'))
      .split('\n')
      .map((l) => l.split(': '))
      .filter((kv): kv is [string, string] => kv.length === 2)
      .map(([k, v]) => [k, Number(v)]),
  );
}

describe('upstream Envoy as a waypoint', () => {
  let rev: TestRevision;
  let envoy: EnvoyProcess;
  let sds: { stop: () => Promise<void> };
  let client: MeshIdentity;
  let root: string;
  const servers: Server[] = [];
  const vip: Record<string, string> = {};
  const send = (service: string): Promise<TunnelReply> =>
    hboneRequest('127.0.0.1:15008', `${vip[service] ?? ''}:80`, client, root).catch((err: unknown) => ({
      connect: 0,
      body: (err as Error).message,
    }));

  beforeAll(async () => {
    const cluster = await testCluster();
    rev = await startRevision(revision, `istio-${revision}`);
    await rev.createNamespace(ns);
    await apply({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: ns, labels: { 'istio.io/rev': revision } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    await watchObject(resources.gateway, 'waypoint', ns, (o) => condition(o, 'Programmed')?.status === 'True', 60_000);
    for (const name of ['echo', 'echo2']) {
      const server = await backend(name);
      servers.push(server);
      await apply(boundService(name), entry(name, (server.address() as AddressInfo).port));
      vip[name] = (
        await kubectlJson<{ spec: { clusterIP: string } }>(['-n', ns, 'get', 'service', name])
      ).spec.clusterIP;
    }
    const pki = await createMeshPki(`${cluster.runDir}/mesh-pki-${id}`);
    root = pki.root;
    client = await pki.issue('client', `spiffe://cluster.local/ns/${ns}/sa/client`);
    const socket = `${cluster.runDir}/sds-${id}.sock`;
    sds = await startSdsServer(
      socket,
      await pki.issue('waypoint', `spiffe://cluster.local/ns/${ns}/sa/waypoint`),
      root,
    );
    envoy = await startWaypointEnvoy(cluster, {
      xdsPort: rev.controlPlane.xdsPort,
      gateway: 'waypoint',
      namespace: ns,
      sdsSocket: socket,
    });
  });

  afterAll(async () => {
    await envoy.stop();
    await sds.stop();
    for (const s of servers) s.close();
    await rev.remove(ns);
  });

  test('Envoy accepts every listener and cluster we send: nothing rejected, all three listeners active', async () => {
    await until(
      () => envoy.admin('/listeners'),
      (l) => ['connect_terminate', 'connect_originate', 'main_internal'].every((n) => l.includes(`${n}::`)),
      'the waypoint listeners',
    );
    const counters = await stats(envoy);
    expect(counters.get('listener_manager.lds.update_rejected')).toBe(0);
    expect(counters.get('cluster_manager.cds.update_rejected')).toBe(0);
    expect(counters.get('listener_manager.total_listeners_active')).toBe(3);
  });

  test('an HBONE request for a bound Service reaches its endpoint', async () => {
    const reply = await until(
      () => send('echo'),
      (r) => r.status === 200,
      'a reply through the waypoint',
    );
    expect(reply.body).toBe('hello from echo');
  });

  test("the control plane's config dump shows what it serves this proxy, with no NACK", async () => {
    const port = String(rev.controlPlane.port);
    const proxies = (await (await fetch(`http://127.0.0.1:${port}/debug/config_dump`)).json()) as {
      proxy: string;
      lastReject?: unknown;
    }[];
    const mine = proxies.find((p) => p.proxy === envoy.nodeId);
    expect(mine).toBeDefined();
    expect(mine?.lastReject).toBeUndefined();
    const served = (await (
      await fetch(`http://127.0.0.1:${port}/debug/config_dump?proxy=${encodeURIComponent(envoy.nodeId)}`)
    ).json()) as Record<string, { name?: string }[]>;
    expect(served['type.googleapis.com/envoy.config.listener.v3.Listener']?.map((l) => l.name).sort()).toEqual([
      'connect_originate',
      'connect_terminate',
      'main_internal',
    ]);
    const bad = await fetch(`http://127.0.0.1:${port}/debug/config_dump?proxy=nobody`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/no proxy "nobody" is connected/);
  });

  test('an HTTPRoute on echo sending everything to echo2 reroutes it live', async () => {
    await apply({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'echo', namespace: ns },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }],
        rules: [{ backendRefs: [{ name: 'echo2', port: 80 }] }],
      },
    });
    await until(
      () => send('echo'),
      (r) => r.body === 'hello from echo2',
      'the route to echo2',
    );
    await kubectl(['-n', ns, 'delete', 'httproute', 'echo']);
    await until(
      () => send('echo'),
      (r) => r.body === 'hello from echo',
      'the route gone',
    );
  });

  test('a VirtualService fault abort answers with its status', async () => {
    await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'echo-fault', namespace: ns },
      spec: {
        hosts: ['echo'],
        http: [
          {
            fault: { abort: { httpStatus: 418, percentage: { value: 100 } } },
            route: [{ destination: { host: 'echo' } }],
          },
        ],
      },
    });
    await until(
      () => send('echo'),
      (r) => r.status === 418,
      'the fault',
    );
    await kubectl(['-n', ns, 'delete', 'virtualservice', 'echo-fault']);
    await until(
      () => send('echo'),
      (r) => r.status === 200,
      'the fault gone',
    );
  });

  test('an AuthorizationPolicy on the waypoint denying the client answers 403; removing it lets it through', async () => {
    await apply({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-client', namespace: ns },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
        action: 'DENY',
        rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/client`] } }] }],
      },
    });
    const denied = await until(
      () => send('echo'),
      (r) => r.status === 403,
      'the policy',
    );
    expect(denied.body).toBe('RBAC: access denied');
    const policy = await watchObject(
      resources.authorizationPolicy,
      'deny-client',
      ns,
      (o) => condition(o, 'WaypointAccepted') !== undefined,
    );
    expect(condition(policy, 'WaypointAccepted')?.status).toBe('True');
    await kubectl(['-n', ns, 'delete', 'authorizationpolicy', 'deny-client']);
    await until(
      () => send('echo'),
      (r) => r.status === 200,
      'the policy gone',
    );
    const counters = await stats(envoy);
    expect(counters.get('listener_manager.lds.update_rejected')).toBe(0);
    expect(counters.get('cluster_manager.cds.update_rejected')).toBe(0);
  });
});
