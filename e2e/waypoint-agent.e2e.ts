// The real waypoint runtime, configured only by Ambit: Istio's pilot-agent (built from its Go module) and upstream
// Envoy run as the waypoint pod Ambit rendered, get their certificate from Ambit's CA and their configuration over
// delta xDS through the agent, and carry HBONE traffic between a source (the ztunnel stand-in, with a certificate
// from the same CA) and HBONE terminators in front of loopback backends (WorkloadEntries captured by the mesh).
import { randomBytes, X509Certificate } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { resources } from '../src/kube/resources.ts';
import { kubectl, testCluster } from './harness/cluster.ts';
import { startControlPlane, type ControlPlaneProcess } from './harness/control-plane.ts';
import { meshRootCert, requestCertificate, serviceAccountToken, type IssuedCertificate } from './harness/ca-client.ts';
import { startWaypointAgent, type WaypointAgent } from './harness/pilot-agent.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { condition, watchObject } from './harness/wait.ts';
import { until } from './harness/until.ts';
import { hboneReply, type TunnelReply } from './xds/hbone-client.ts';
import { applyObjects as apply, echoRoute as route, startEchoMesh, type EchoMesh } from './harness/echo-mesh.ts';
import type { ClusterState } from './cluster/state.ts';

const id = randomBytes(3).toString('hex');
const revision = `agent-${id}`;
const istioNs = `istio-agent-${id}`;
const ns = `wpagent-${id}`;
const waypointIp = '127.0.10.1';
const backendIps = { v1: '127.0.20.1', v2: '127.0.20.2' };

const echoRoute = (rules: object[]) => route(ns, rules);

const spiffe = (sa: string) => `spiffe://cluster.local/ns/${ns}/sa/${sa}`;

describe('pilot-agent and upstream Envoy as a waypoint, configured only by Ambit', () => {
  let cluster: ClusterState;
  let rev: TestRevision;
  let controlPlane: ControlPlaneProcess;
  let agent: WaypointAgent;
  let root: string;
  let sleep: IssuedCertificate;
  let other: IssuedCertificate;
  let mesh: EchoMesh;
  const tls = () => ({ root, san: controlPlane.san });
  const caAddress = () => `127.0.0.1:${String(controlPlane.tlsPort)}`;
  const certificateFor = async (sa: string) =>
    requestCertificate({ address: caAddress(), tls: tls(), token: await serviceAccountToken(ns, sa) });
  const send = (from: IssuedCertificate, path = '/'): Promise<TunnelReply> =>
    mesh.send(`${waypointIp}:15008`, from, path);
  const rootConfigMap = () => meshRootCert(ns);
  /** The route configuration of echo's VIP chain, as Envoy holds it (RDS). */
  const echoRoutes = async () => {
    const dump = JSON.parse(await agent.admin('/config_dump?resource=dynamic_route_configs')) as {
      configs: { route_config?: { name?: string } }[];
    };
    const name = `inbound-vip|80|http|echo.${ns}.svc.cluster.local`;
    return JSON.stringify(dump.configs.find((c) => c.route_config?.name === name)?.route_config ?? {});
  };

  beforeAll(async () => {
    cluster = await testCluster();
    rev = await startRevision(revision, istioNs);
    controlPlane = rev.controlPlane;
    await rev.createNamespace(ns);
    await kubectl(['label', 'namespace', ns, 'istio.io/use-waypoint=waypoint']);
    for (const sa of ['sleep', 'other']) await kubectl(['-n', ns, 'create', 'serviceaccount', sa]);
    await apply({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: ns, labels: { 'istio.io/rev': revision } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    await watchObject(resources.gateway, 'waypoint', ns, (o) => condition(o, 'Programmed')?.status === 'True', 60_000);
    await watchObject(resources.configMap, 'istio-ca-root-cert', ns, (o) => o !== undefined, 30_000);
    root = await rootConfigMap();
    mesh = await startEchoMesh({ namespace: ns, addresses: backendIps, root, certificateFor });
    [sleep, other] = await Promise.all([certificateFor('sleep'), certificateFor('other')]);
    agent = await startWaypointAgent(cluster, {
      namespace: ns,
      gateway: 'waypoint',
      instanceIp: waypointIp,
      controlPlane: { address: caAddress(), san: controlPlane.san },
    });
  });

  afterAll(async () => {
    await agent.stop();
    await mesh.close();
    if (controlPlane !== rev.controlPlane) await controlPlane.stop();
    await rev.remove(ns);
  });

  test("the agent gets its certificate from Ambit's CA and Envoy its configuration through the agent, nothing rejected", async () => {
    await agent.ready(60_000);
    const secrets = JSON.parse(await agent.admin('/config_dump?resource=dynamic_active_secrets')) as {
      configs: { name: string; secret?: { tls_certificate?: { certificate_chain?: { inline_bytes?: string } } } }[];
    };
    const chain = secrets.configs.find((s) => s.name === 'default')?.secret?.tls_certificate?.certificate_chain;
    const leaf = new X509Certificate(Buffer.from(chain?.inline_bytes ?? '', 'base64'));
    expect(leaf.subjectAltName).toBe(`URI:${spiffe('waypoint')}`);
    expect(leaf.checkIssued(new X509Certificate(root))).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${String(controlPlane.port)}/metrics`)).text();
    expect(Number(/^citadel_server_success_cert_issuance_count (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);

    const listeners = await agent.admin('/listeners');
    for (const l of ['connect_terminate', 'main_internal', 'connect_originate']) expect(listeners).toContain(`${l}::`);
    const endpoints = await agent.admin('/config_dump?include_eds&resource=dynamic_endpoint_configs');
    expect(endpoints).toContain(backendIps.v1);
    expect(endpoints).toContain(backendIps.v2);
    expect(await echoRoutes()).toContain('virtual_hosts');
    const stats = await agent.stats();
    const rejected = [...stats].filter(([k, v]) => k.endsWith('.update_rejected') && v !== 0);
    expect(rejected).toEqual([]);
    expect(stats.get('listener_manager.lds.update_success')).toBeGreaterThan(0);
    expect(stats.get('cluster_manager.cds.update_success')).toBeGreaterThan(0);
    // The control plane sees the agent's node (delta ADS through the agent's proxy), authenticated as the waypoint's
    // service account by its token, with no NACK.
    const proxies = (await (await fetch(`http://127.0.0.1:${String(controlPlane.port)}/debug/config_dump`)).json()) as {
      proxy: string;
      stream: string;
      caller?: string;
      lastReject?: unknown;
    }[];
    const mine = proxies.find((p) => p.proxy === agent.nodeId);
    expect(mine?.stream).toMatch(/^delta-/);
    expect(mine?.caller).toBe(`${ns}/waypoint`);
    expect(mine?.lastReject).toBeUndefined();
    const served = (await (
      await fetch(
        `http://127.0.0.1:${String(controlPlane.port)}/debug/config_dump?proxy=${encodeURIComponent(agent.nodeId)}`,
      )
    ).json()) as Record<string, { name?: string }[]>;
    expect(served['type.googleapis.com/envoy.config.listener.v3.Listener']?.map((l) => l.name).sort()).toEqual([
      'connect_originate',
      'connect_terminate',
      'main_internal',
    ]);
    const bad = await fetch(`http://127.0.0.1:${String(controlPlane.port)}/debug/config_dump?proxy=nobody`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/no proxy "nobody" is connected/);
  });

  test('seed 000: an HTTPRoute on echo sends every request to echo-v1', async () => {
    await apply(echoRoute([{ backendRefs: [{ name: 'echo-v1', port: 80 }] }]));
    await until(
      () => send(sleep),
      (r) => r.body === 'hello from echo-v1',
      'the route to echo-v1',
    );
    const bodies = await Promise.all(Array.from({ length: 20 }, () => send(sleep)));
    expect(new Set(bodies.map((b) => b.body))).toEqual(new Set(['hello from echo-v1']));
  });

  test('80/20 weights split within 4 sigma over 200 requests', async () => {
    await apply(
      echoRoute([
        {
          backendRefs: [
            { name: 'echo-v1', port: 80, weight: 80 },
            { name: 'echo-v2', port: 80, weight: 20 },
          ],
        },
      ]),
    );
    await until(
      () => send(sleep),
      (r) => r.body === 'hello from echo-v2',
      'some traffic to echo-v2',
    );
    const n = 200;
    let v1 = 0;
    for (let i = 0; i < n; i++) if ((await send(sleep)).body === 'hello from echo-v1') v1++;
    const sigma = Math.sqrt(n * 0.8 * 0.2);
    expect(Math.abs(v1 - n * 0.8)).toBeLessThanOrEqual(4 * sigma);
  });

  test('editing the HTTPRoute switches traffic within a second, without a restart', async () => {
    const envoyPid = agent.envoyPid;
    await apply(echoRoute([{ backendRefs: [{ name: 'echo-v2', port: 80 }] }]));
    const applied = Date.now();
    await until(
      () => send(sleep),
      (r) => r.body === 'hello from echo-v2',
      'the route to echo-v2',
      1_000,
    );
    expect(Date.now() - applied).toBeLessThan(1_000);
    expect(agent.envoyPid).toBe(envoyPid);
    expect(await echoRoutes()).toContain(`echo-v2.${ns}`);
  });

  test("deleting the HTTPRoute removes its route from Envoy's config dump", async () => {
    await kubectl(['-n', ns, 'delete', 'httproute', 'echo']);
    await until(echoRoutes, (c) => !c.includes(`echo-v2.${ns}`) && c.includes('virtual_hosts'), 'the route gone');
    const replies = await Promise.all(Array.from({ length: 10 }, () => send(sleep)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });

  test('seed 002: a VirtualService fault abort returns its status', async () => {
    await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'echo', namespace: ns },
      spec: {
        hosts: [`echo.${ns}.svc.cluster.local`],
        http: [
          {
            match: [{ uri: { exact: '/hello' } }],
            fault: { abort: { httpStatus: 418, percentage: { value: 100 } } },
            route: [{ destination: { host: `echo.${ns}.svc.cluster.local`, port: { number: 80 } } }],
          },
          { route: [{ destination: { host: `echo.${ns}.svc.cluster.local`, port: { number: 80 } } }] },
        ],
      },
    });
    await until(
      () => send(sleep, '/hello'),
      (r) => r.status === 418,
      'the fault',
    );
    expect((await send(sleep, '/other')).status).toBe(200);
    await kubectl(['-n', ns, 'delete', 'virtualservice', 'echo']);
    await until(
      () => send(sleep, '/hello'),
      (r) => r.status === 200,
      'the fault gone',
    );
  });

  test('an AuthorizationPolicy denying a path returns 403 for it and lets the rest through', async () => {
    await apply({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-admin', namespace: ns },
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: 'echo' }],
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
      },
    });
    await until(
      () => send(sleep, '/admin'),
      (r) => r.status === 403,
      'the denial',
    );
    expect((await send(sleep, '/')).status).toBe(200);
    await kubectl(['-n', ns, 'delete', 'authorizationpolicy', 'deny-admin']);
    await until(
      () => send(sleep, '/admin'),
      (r) => r.status === 200,
      'the denial gone',
    );
  });

  test('an AuthorizationPolicy allowing one principal lets it through and refuses another', async () => {
    await apply({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'only-sleep', namespace: ns },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/sleep`] } }] }],
      },
    });
    await until(
      () => send(other),
      (r) => r.status === 403,
      'the refusal of other',
    );
    expect((await send(sleep)).status).toBe(200);
    await kubectl(['-n', ns, 'delete', 'authorizationpolicy', 'only-sleep']);
    await until(
      () => send(other),
      (r) => r.status === 200,
      'other let through again',
    );
  });

  test('a CONNECT without a client certificate is refused', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = tlsConnect({
        host: waypointIp,
        port: 15008,
        ca: root,
        ALPNProtocols: ['h2'],
        minVersion: 'TLSv1.3',
        checkServerIdentity: () => undefined,
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      // TLS 1.3: the server's refusal arrives after the client's side of the handshake completed.
      socket.on('secureConnect', () => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
      socket.on('close', () => resolve('closed'));
      setTimeout(() => resolve('still open'), 5_000).unref();
    });
    expect(outcome).toMatch(/CERTIFICATE_REQUIRED|closed|ECONNRESET/);
  });

  test('a ServiceEntry bound to the waypoint reaches the WorkloadEntries its workloadSelector picks', async () => {
    // 240.240.0.1 is only the CONNECT authority (an address as istiod allocates them): the waypoint sends to endpoints.
    await apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'api', namespace: ns, labels: { 'istio.io/use-waypoint': 'waypoint' } },
      spec: {
        hosts: ['api.internal.example'],
        addresses: ['240.240.0.1'],
        ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
        resolution: 'STATIC',
        workloadSelector: { labels: { app: 'echo', version: 'v2' } },
      },
    });
    const viaEntry = () => hboneReply(`${waypointIp}:15008`, '240.240.0.1:80', sleep, root);
    await until(viaEntry, (r) => r.body === 'hello from echo-v2', 'traffic to the ServiceEntry');
    await kubectl(['-n', ns, 'delete', 'serviceentry', 'api']);
  });

  test('restarting the control plane keeps traffic flowing, the agent reconnects, and the root survives', async () => {
    const rootBefore = await rootConfigMap();
    await controlPlane.stop();
    // The control plane is down: Envoy serves with what it has.
    expect((await send(sleep)).status).toBe(200);
    controlPlane = await startControlPlane(cluster, istioNs, revision, undefined, controlPlane);
    await until(
      async () =>
        (await (await fetch(`http://127.0.0.1:${String(controlPlane.port)}/debug/config_dump`)).json()) as {
          proxy: string;
        }[],
      (proxies) => proxies.some((p) => p.proxy === agent.nodeId),
      'the agent reconnected',
      60_000,
    );
    expect((await send(sleep)).status).toBe(200);
    expect(await rootConfigMap()).toBe(rootBefore);
    // Certificates from the restarted CA chain to the same root.
    const again = await certificateFor('sleep');
    expect(new X509Certificate(again.chain[0] ?? '').checkIssued(new X509Certificate(rootBefore))).toBe(true);
    // A change made after the restart reaches Envoy through the new connection.
    await apply(echoRoute([{ backendRefs: [{ name: 'echo-v1', port: 80 }] }]));
    await until(
      () => send(sleep),
      (r) => r.body === 'hello from echo-v1',
      'a route after the restart',
    );
    expect([...(await agent.stats())].filter(([k, v]) => k.endsWith('.update_rejected') && v !== 0)).toEqual([]);
  });
});
