// Two replicas of one revision's control plane: both ready and serving, one leader (the Lease), a new Gateway's
// objects written once, and when the leader is killed the other takes over within the lease time.
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
import { watchObject } from './harness/wait.ts';

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
  beforeAll(async () => {
    rev = await startRevision(revision, istioNs);
    await rev.createNamespace(ns);
    second = await startControlPlane(await testCluster(), istioNs, revision);
  });
  afterAll(async () => {
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

  test('the leader killed, the other replica takes the lease within its duration and writes', async () => {
    const lease = await watchObject(resources.lease, leaseName, istioNs, (l) => holder(l) !== undefined);
    const [leader, other] =
      holder(lease) === identity(rev.controlPlane) ? [rev.controlPlane, second] : [second, rev.controlPlane];
    const killedAt = Date.now();
    process.kill(leader.pid, 'SIGKILL');
    await watchObject(resources.lease, leaseName, istioNs, (l) => holder(l) === identity(other), 30_000);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(15_000 + 2_000 + 2_000);
    await kubectl(['apply', '-f', '-'], { input: gateway('after') });
    await watchObject(resources.deployment, 'after', ns, (o) => o !== undefined);
  });
});
