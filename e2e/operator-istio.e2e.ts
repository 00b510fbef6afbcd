// Istio behaviours users rely on (Sail's acceptance cases), each on its own Istio and namespace: revision naming and
// pruning, a missing namespace that heals, readiness, upgrades, end-of-life versions.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from '@jest/globals';
import { dump } from 'js-yaml';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import { auditMark, writesSince } from './harness/audit.ts';
import { kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { metricSum, runOperator } from './harness/operator.ts';
import { condition, watchObject, watchUntil } from './harness/wait.ts';

const created: string[] = [];
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
interface IstioStatusView {
  activeRevisionName?: string;
  revisions?: { total: number; ready: number; inUse: number };
  state?: string;
}
const status = (o: KubeObject | undefined): IstioStatusView => o?.['status'] ?? {};

async function applyIstio(name: string, spec: object): Promise<void> {
  await kubectl(['apply', '-f', '-'], {
    input: dump({ apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name }, spec }),
  });
  if (!created.includes(`istio/${name}`)) created.push(`istio/${name}`);
}

async function namespace(name: string): Promise<void> {
  await kubectl(['create', 'namespace', name]);
  created.push(`namespace/${name}`);
}

describe('Istio reconciliation', () => {
  // Cleaned up completely (revisions and their control planes gone) so later files see an idle operator.
  afterAll(async () => {
    const objects = created.filter((c) => !c.startsWith('namespace/'));
    if (objects.length) await kubectl(['delete', ...objects, '--ignore-not-found', '--timeout=60s']);
    const istios = objects.filter((c) => c.startsWith('istio/')).map((c) => c.slice('istio/'.length));
    await watchUntil(
      resources.istioRevision,
      {},
      (revs) => !revs.some((r) => istios.some((n) => r.metadata.name.startsWith(n))),
      60_000,
    );
    const namespaces = created.filter((c) => c.startsWith('namespace/'));
    if (namespaces.length) await kubectl(['delete', ...namespaces, '--ignore-not-found', '--wait=false']);
  });

  test('RevisionBased: the revision is named after the version; an upgrade adds a revision and prunes the old one', async () => {
    const name = unique('rb');
    await namespace(name);
    await applyIstio(name, {
      namespace: name,
      version: 'v1.31.4',
      updateStrategy: { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 0 },
    });
    await kubectl(['wait', '--for=condition=Ready', `istio/${name}`, '--timeout=60s']);
    const first = `${name}-v1-31-4`;
    // Watched, not read once: a rollout elsewhere (e.g. the ZTunnel going away changes the trusted namespace) may
    // briefly make the revision not Ready.
    const istio = await watchObject(resources.istio, name, undefined, (o) => status(o).revisions?.ready === 1);
    expect(status(istio)).toMatchObject({
      activeRevisionName: first,
      revisions: { total: 1, ready: 1, inUse: 0 },
    });
    const rev = await kubectlJson<KubeObject>(['get', 'istiorevision', first]);
    expect(rev['spec']).toMatchObject({
      version: 'v1.31.4',
      values: { revision: first, global: { istioNamespace: name } },
    });
    await kubectl(['-n', name, 'get', 'deployment', `istiod-${first}`]);

    await applyIstio(name, {
      namespace: name,
      version: 'v1.32.0',
      updateStrategy: { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 0 },
    });
    const second = `${name}-v1-32-0`;
    await watchObject(resources.istioRevision, first, undefined, (o) => o === undefined, 60_000);
    await kubectl(['wait', '--for=condition=Ready', `istio/${name}`, '--timeout=60s']);
    expect(status(await kubectlJson<KubeObject>(['get', 'istio', name])).activeRevisionName).toBe(second);
    await watchObject(resources.deployment, `istiod-${first}`, name, (o) => o === undefined, 60_000);
  });

  test('a missing namespace is reported with the fix, and the Istio heals by itself once it exists', async () => {
    const name = unique('nons');
    await applyIstio(name, { namespace: name });
    const rev = await watchObject(
      resources.istioRevision,
      name,
      undefined,
      (o) => condition(o, 'Reconciled')?.status === 'False',
    );
    expect(condition(rev, 'Reconciled')).toMatchObject({
      reason: 'ReconcileError',
      message: expect.stringContaining(`namespace "${name}" doesn't exist`),
    });
    const istio = await watchObject(
      resources.istio,
      name,
      undefined,
      (o) => condition(o, 'Reconciled')?.status === 'False',
    );
    expect(condition(istio, 'Reconciled')?.message).toContain(`kubectl create namespace ${name}`);
    const events = await kubectl([
      'get',
      'events',
      '-n',
      'default',
      '--field-selector',
      `reason=NamespaceNotFound,involvedObject.name=${name}`,
      '-o',
      'name',
    ]);
    expect(String(events.stdout)).not.toBe('');
    await namespace(name);
    await kubectl(['wait', '--for=condition=Ready', `istio/${name}`, '--timeout=60s']);
  });

  test('Ready follows the istiod Deployment: pods that cannot be scheduled make it IstiodNotReady', async () => {
    const name = unique('ready');
    await namespace(name);
    await applyIstio(name, { namespace: name, values: { pilot: { nodeSelector: { 'no-such-node': 'true' } } } });
    const pending = await watchObject(
      resources.istio,
      name,
      undefined,
      (o) => condition(o, 'Ready')?.message === 'not all istiod pods are ready',
    );
    expect(condition(pending, 'Ready')).toMatchObject({ status: 'False', message: 'not all istiod pods are ready' });
    expect(status(pending).state).toBe('IstiodNotReady');
    await applyIstio(name, { namespace: name });
    await kubectl(['wait', '--for=condition=Ready', `istio/${name}`, '--timeout=60s']);
  });

  test('an InPlace upgrade keeps one revision and rolls the control plane to the new version', async () => {
    const name = unique('up');
    await namespace(name);
    await applyIstio(name, { namespace: name, version: 'v1.31.4' });
    await kubectl(['wait', '--for=condition=Ready', `istio/${name}`, '--timeout=60s']);
    await applyIstio(name, { namespace: name, version: 'v1.32.0' });
    await watchObject(
      resources.deployment,
      `istiod-${name}`,
      name,
      (o) => o?.metadata.labels?.['app.kubernetes.io/version'] === '1.32.0',
    );
    await kubectl(['wait', '--for=condition=Ready', `istio/${name}`, '--timeout=60s']);
    const istio = await kubectlJson<KubeObject>(['get', 'istio', name]);
    expect(status(istio).revisions?.total).toBe(1);
    expect((await kubectlJson<KubeObject>(['get', 'istiorevision', name]))['spec']).toMatchObject({
      version: 'v1.32.0',
    });
  });

  test('an end-of-life version is refused in status, with no retry loop', async () => {
    const name = unique('eol');
    await namespace(name);
    await applyIstio(name, { namespace: name, version: 'v1.28.0' });
    const istio = await watchObject(
      resources.istio,
      name,
      undefined,
      (o) => condition(o, 'Reconciled')?.status === 'False',
    );
    expect(condition(istio, 'Reconciled')).toMatchObject({
      reason: 'ReconcileError',
      message: expect.stringContaining(
        'version "v1.28.0" is end-of-life and cannot be installed; use a supported version',
      ),
    });
    expect(condition(istio, 'Ready')).toMatchObject({ status: 'Unknown', reason: 'ReconcileError' });
    // The reconcile ends with its Warning Event (written after the status): then nothing more is written about it.
    await watchUntil(resources.event, { namespace: 'default' }, (events) =>
      events.some((e) => (e['regarding'] as { name?: string } | undefined)?.name === name),
    );
    const op = runOperator(await testCluster());
    const errors = () => metricSum(op, 'controller_runtime_reconcile_errors_total', { controller: 'istio' });
    // Writes about this Istio only (the audit log): the shared operator may still be finishing other files' work.
    const mark = await auditMark();
    const e0 = await errors();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await errors()).toBe(e0);
    expect((await writesSince(mark)).filter((w) => w.includes(name))).toEqual([]);
  });

  test('an IstioRevisionTag follows its Istio, reports use through istio.io/rev, and heals when its target appears', async () => {
    const name = unique('tagged');
    const tag = `prod-${name}`;
    await kubectl(['apply', '-f', '-'], {
      input: dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'IstioRevisionTag',
        metadata: { name: tag },
        spec: { targetRef: { kind: 'Istio', name } },
      }),
    });
    created.push(`istiorevisiontag/${tag}`);
    const missing = await watchObject(
      resources.istioRevisionTag,
      tag,
      undefined,
      (o) => condition(o, 'Reconciled')?.reason === 'RefNotFound',
    );
    expect(condition(missing, 'Reconciled')?.message).toBe('referenced Istio resource does not exist');
    await namespace(name);
    await applyIstio(name, { namespace: name });
    const resolved = await watchObject(
      resources.istioRevisionTag,
      tag,
      undefined,
      (o) => status(o).state === 'NotReferencedByAnything',
    );
    expect(resolved?.['status']).toMatchObject({ istioRevision: name, istiodNamespace: name });
    await kubectl(['label', 'namespace', name, `istio.io/rev=${tag}`]);
    await watchObject(resources.istioRevisionTag, tag, undefined, (o) => status(o).state === 'Healthy');
    const rev = await watchObject(
      resources.istioRevision,
      name,
      undefined,
      (o) => condition(o, 'InUse')?.status === 'True',
    );
    expect(condition(rev, 'InUse')?.reason).toBe('ReferencedByWorkloads');
  });
});
