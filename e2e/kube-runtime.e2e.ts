// The controller runtime against the real API server: informers, server-side apply and its conflicts, status-only
// applies, Events and leader election.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApiError } from '../src/kube/api-client.ts';
import { KubeClient } from '../src/kube/client.ts';
import { EventRecorder } from '../src/kube/events.ts';
import { Informer } from '../src/kube/informer.ts';
import { LeaderElector } from '../src/kube/leader-election.ts';
import { createLogger } from '../src/kube/logger.ts';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import { auditMark, writesSince } from './harness/audit.ts';
import { createNamespace, kubectl, kubectlJson, testApiClient } from './harness/cluster.ts';
import { applyCrds } from './harness/crds.ts';

const log = createLogger('error');

/** Resolves once `check` holds, re-checking on every informer event (no sleeping). */
function until<T extends KubeObject>(informer: Informer<T>, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('condition not met in time')), timeoutMs);
    const test = () => {
      if (check()) {
        clearTimeout(timer);
        resolve();
      }
    };
    informer.on({ add: test, update: test, delete: test });
    test();
  });
}

const configMap = (
  ns: string,
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data,
});

describe('controller runtime on the real API server', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let client: KubeClient;
  beforeAll(async () => {
    await applyCrds();
    ns = await createNamespace('runtime');
    client = new KubeClient(await testApiClient());
  });
  afterAll(async () => {
    await ns.remove();
  });

  test('an informer lists, then follows adds, updates and deletes, scoped by namespace and label', async () => {
    await kubectl(['-n', ns.name, 'create', 'configmap', 'before', '--from-literal=a=1']);
    await kubectl(['-n', ns.name, 'label', 'configmap', 'before', 'watched=yes']);
    const informer = new Informer<KubeObject>(
      client.api,
      resources.configMap,
      { namespace: ns.name, labelSelector: 'watched=yes' },
      log,
    );
    informer.start();
    try {
      await informer.waitForSync();
      expect(informer.list().map((o) => o.metadata.name)).toEqual(['before']);
      await client.apply(configMap(ns.name, 'after', { a: '1' }, { watched: 'yes' }), 'e2e', true);
      await client.apply(configMap(ns.name, 'ignored', { a: '1' }), 'e2e', true);
      await until(informer, () => informer.get('after', ns.name) !== undefined);
      await client.apply(configMap(ns.name, 'after', { a: '2' }, { watched: 'yes' }), 'e2e', true);
      await until(informer, () => (informer.get('after', ns.name)?.['data'] as { a: string } | undefined)?.a === '2');
      await client.delete(resources.configMap, 'before', ns.name);
      await until(informer, () => informer.get('before', ns.name) === undefined);
      expect(informer.get('ignored', ns.name)).toBeUndefined();
      expect(informer.get('after', ns.name)?.metadata['managedFields']).toBeUndefined();
    } finally {
      informer.stop();
    }
  });

  test('server-side apply: unchanged intent writes nothing, a foreign manager conflicts unless forced', async () => {
    const first = await client.apply(configMap(ns.name, 'ssa', { x: '1' }), 'ambit-a', false);
    const again = await client.apply(configMap(ns.name, 'ssa', { x: '1' }), 'ambit-a', false);
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const conflict = await client
      .apply(configMap(ns.name, 'ssa', { x: '2' }), 'ambit-b', false)
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApiError);
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
    expect((conflict as ApiError).causes[0]).toMatchObject({ reason: 'FieldManagerConflict', field: '.data.x' });
    const forced = await client.apply(configMap(ns.name, 'ssa', { x: '2' }), 'ambit-b', true);
    expect(forced['data']).toEqual({ x: '2' });
  });

  test('applying status touches only status, and a second manager keeps its own conditions', async () => {
    const name = `runtime-${ns.name}`;
    const istio = await client.apply(
      { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name }, spec: {} },
      'e2e',
      true,
    );
    try {
      await client.applyStatus(
        {
          apiVersion: 'sailoperator.io/v1',
          kind: 'Istio',
          metadata: { name },
          status: { conditions: [{ type: 'TestA', status: 'False', reason: 'Waiting' }] },
        },
        'ambit-a',
      );
      await client.applyStatus(
        {
          apiVersion: 'sailoperator.io/v1',
          kind: 'Istio',
          metadata: { name },
          status: { conditions: [{ type: 'TestB', status: 'True', reason: 'Fine' }] },
        },
        'ambit-b',
      );
      const read = await kubectlJson<{ metadata: { generation: number }; status: { conditions: { type: string }[] } }>([
        'get',
        'istio',
        name,
      ]);
      // The operator reconciles this Istio too and writes its own conditions beside ours.
      expect(read.status.conditions.map((c) => c.type)).toEqual(expect.arrayContaining(['TestA', 'TestB']));
      expect(read.metadata.generation).toBe(istio.metadata.generation);
    } finally {
      await client.delete(resources.istio, name);
    }
  });

  test('an Event about a cluster-scoped object is recorded once within the dedupe window', async () => {
    const recorder = new EventRecorder(client, 'ambit.io/operator', 'e2e-0', log);
    const owner: KubeObject = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'Istio',
      metadata: { name: `evt-${ns.name}`, uid: randomUUID() },
    };
    await recorder.record(
      owner,
      'Warning',
      'NamespaceNotFound',
      'Reconcile',
      'namespace "x" does not exist; create it',
    );
    await recorder.record(
      owner,
      'Warning',
      'NamespaceNotFound',
      'Reconcile',
      'namespace "x" does not exist; create it',
    );
    const events = await kubectlJson<{
      items: {
        reason: string;
        note: string;
        regarding: { kind: string; name: string };
        metadata: { name: string; resourceVersion: string };
      }[];
    }>(['get', 'events.events.k8s.io', '-n', 'default']);
    const ours = events.items.filter((e) => e.regarding.kind === 'Istio' && e.regarding.name === owner.metadata.name);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ reason: 'NamespaceNotFound', note: 'namespace "x" does not exist; create it' });

    // A restarted process has no memory of it: it reads the Event by its name and sends no write within the window
    // (not even a create the API server would refuse), and after the window counts the repeat in the Event's series
    // instead of creating another.
    const record = (r: EventRecorder) =>
      r.record(owner, 'Warning', 'NamespaceNotFound', 'Reconcile', 'namespace "x" does not exist; create it');
    const mark = await auditMark();
    await record(new EventRecorder(client, 'ambit.io/operator', 'e2e-1', log));
    const name = ours[0]?.metadata.name ?? '';
    const again = await client.get(resources.event, name, 'default');
    expect(again?.metadata.resourceVersion).toBe(ours[0]?.metadata.resourceVersion);
    expect((await writesSince(mark, 'ambit-e2e/')).filter((w) => w.includes(' events'))).toEqual([]);
    await record(new EventRecorder(client, 'ambit.io/operator', 'e2e-2', log, 0));
    const counted = await client.get(resources.event, name, 'default');
    expect(counted?.['series']).toMatchObject({ count: 2 });
    const after = await kubectlJson<{ items: { regarding: { kind: string; name: string } }[] }>([
      'get',
      'events.events.k8s.io',
      '-n',
      'default',
    ]);
    expect(
      after.items.filter((e) => e.regarding.kind === 'Istio' && e.regarding.name === owner.metadata.name),
    ).toHaveLength(1);
  });

  test('leader election: one of two candidates leads; when it releases, the other takes over', async () => {
    const opts = { namespace: ns.name, name: 'lock', retryPeriodMs: 100, leaseDurationMs: 15_000 };
    const a = new LeaderElector(client, { ...opts, identity: 'a' }, log);
    const b = new LeaderElector(client, { ...opts, identity: 'b' }, log);
    await a.acquire(() => undefined);
    const bLeads = b.acquire(() => undefined);
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    const started = Date.now();
    await a.release();
    await bLeads;
    expect(b.isLeader).toBe(true);
    // Released, not expired: the successor does not wait out the 15 s lease.
    expect(Date.now() - started).toBeLessThan(5_000);
    const lease = await kubectlJson<{ spec: { holderIdentity: string; leaseTransitions: number } }>([
      '-n',
      ns.name,
      'get',
      'lease',
      'lock',
    ]);
    expect(lease.spec.holderIdentity).toBe('b');
    await b.release();
  });
});
