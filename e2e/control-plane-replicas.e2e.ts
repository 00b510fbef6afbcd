// Two replicas of one revision's control plane: both ready and serving, one leader (the Lease), a new Gateway's
// objects written once, and when the leader is killed the other takes over within the lease time, while a waypoint's
// real pilot-agent + Envoy, connected through the replicas' Service to the one killed, reconnects to the other and
// keeps its configuration.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import { auditMark, writesSince } from './harness/audit.ts';
import { kubectl, testCluster } from './harness/cluster.ts';
import { startControlPlane, type ControlPlaneProcess } from './harness/control-plane.ts';
import { startRevision, type TestRevision } from './harness/revision.ts';
import { startWaypointAgent, type WaypointAgent } from './harness/pilot-agent.ts';
import { startServiceVip, type ServiceVip } from './harness/service-vip.ts';
import { until } from './harness/until.ts';
import { condition, watchObject } from './harness/wait.ts';

const id = randomBytes(3).toString('hex');
const revision = `ha-${id}`;
const istioNs = `istio-ha-${id}`;
const ns = `apps-ha-${id}`;
const leaseName = `ambit-control-plane-${revision}`;

const gateway = (name: string) =>
  dump({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, labels: { 'istio.io/rev': revision } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  });
const holder = (lease: KubeObject | undefined) =>
  (lease?.['spec'] as { holderIdentity?: string | null } | undefined)?.holderIdentity ?? undefined;
const identity = (cp: ControlPlaneProcess) => `${hostname()}-${String(cp.pid)}`;

describe('control-plane replicas', () => {
  let rev: TestRevision;
  let second: ControlPlaneProcess;
  let vip: ServiceVip | undefined;
  let agent: WaypointAgent | undefined;
  beforeAll(async () => {
    rev = await startRevision(revision, istioNs);
    await rev.createNamespace(ns);
    second = await startControlPlane(await testCluster(), istioNs, revision);
  });
  afterAll(async () => {
    await agent?.stop();
    await vip?.close();
    await second.stop();
    await rev.remove(ns);
  });

  test('both serve (ready); one leads; a new Gateway’s objects are written once', async () => {
    for (const cp of [rev.controlPlane, second]) {
      const ready = await fetch(`http://127.0.0.1:${String(cp.port)}/readyz`);
      expect(ready.status).toBe(200);
    }
    const lease = await watchObject(resources.lease, leaseName, istioNs, (l) => holder(l) !== undefined);
    expect([identity(rev.controlPlane), identity(second)]).toContain(holder(lease));

    const mark = await auditMark();
    await kubectl(['apply', '-f', '-'], { input: gateway('once') });
    await watchObject(resources.deployment, 'once', ns, (o) => o !== undefined);
    await watchObject(resources.gateway, 'once', ns, (o) => (o?.['status'] as object | undefined) !== undefined);
    const writes = (await writesSince(mark, 'ambit-control-plane/')).filter((w) => w.endsWith(`${ns}/once`));
    const count = (prefix: string) => writes.filter((w) => w.startsWith(prefix)).length;
    expect(count('patch deployments ')).toBe(1);
    expect(count('patch serviceaccounts ')).toBe(1);
    expect(count('patch services ')).toBe(1);
  });

  test('the leader killed, the other replica takes the lease within its duration and writes; its proxies reconnect to the other and keep their configuration', async () => {
    const lease = await watchObject(resources.lease, leaseName, istioNs, (l) => holder(l) !== undefined);
    const [leader, other] =
      holder(lease) === identity(rev.controlPlane) ? [rev.controlPlane, second] : [second, rev.controlPlane];
    // The Service's endpoints in this order: the waypoint's agent connects to the leader.
    vip = await startServiceVip([leader.tlsPort, other.tlsPort]);
    await watchObject(resources.gateway, 'once', ns, (o) => condition(o, 'Programmed')?.status === 'True', 60_000);
    agent = await startWaypointAgent(await testCluster(), {
      namespace: ns,
      gateway: 'once',
      instanceIp: '127.0.10.7',
      controlPlane: { address: `127.0.0.1:${String(vip.port)}`, san: leader.san },
    });
    await agent.ready(60_000);
    const connectedTo = (cp: ControlPlaneProcess) =>
      fetch(`http://127.0.0.1:${String(cp.port)}/debug/config_dump`)
        .then((r) => r.json() as Promise<{ proxy?: string }[]>)
        .then((proxies) => proxies.some((p) => p.proxy === agent?.nodeId));
    expect(await connectedTo(leader)).toBe(true);
    const listeners = await agent.admin('/listeners');

    const killedAt = Date.now();
    process.kill(leader.pid, 'SIGKILL');
    // Proxies reconnect to the other replica at once: it serves xDS whether it leads or not.
    const reconnected = until(
      () => connectedTo(other),
      Boolean,
      "the agent's stream on the surviving replica",
      20_000,
    ).then(() => Date.now() - killedAt);
    reconnected.catch(() => undefined); // awaited below; a failure must not surface as unhandled first
    await watchObject(resources.lease, leaseName, istioNs, (l) => holder(l) === identity(other), 30_000);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(15_000 + 2_000 + 2_000);
    await kubectl(['apply', '-f', '-'], { input: gateway('after') });
    await watchObject(resources.deployment, 'after', ns, (o) => o !== undefined);

    // The agent is served by the survivor: Envoy kept every listener, rejected nothing, and stayed ready.
    const reconnectMs = await reconnected;
    expect(await agent.admin('/listeners')).toBe(listeners);
    const rejected = [...(await agent.stats())].filter(([k, v]) => k.endsWith('.update_rejected') && v !== 0);
    expect(rejected).toEqual([]);
    await agent.ready(5_000);
    process.stdout.write(
      `leader killed: lease taken in ${String(takeoverMs)} ms, proxy back in ${String(reconnectMs)} ms\n`,
    );
  });
});
