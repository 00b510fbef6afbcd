// The OpenShift Service Mesh ambient procedure (seed 003) against our operator, with kubectl as a user runs it, then
// the behaviours users rely on around it: wiring, steady state, drift, targetRef, deletion. The IstioCNI and
// ZTunnel are cluster singletons, so these run in order in one file.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump, load } from 'js-yaml';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import { until } from './harness/until.ts';
import { kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { auditMark, writesSince } from './harness/audit.ts';
import { metricSum, runOperator } from './harness/operator.ts';
import { condition, watchObject, watchUntil } from './harness/wait.ts';

type Env = { name: string; value?: string }[];
const containerEnv = async (kind: string, ns: string, name: string): Promise<Record<string, string | undefined>> => {
  const o = await kubectlJson<{ spec: { template: { spec: { containers: { env?: Env; image: string }[] } } } }>([
    '-n',
    ns,
    'get',
    kind,
    name,
  ]);
  return Object.fromEntries((o.spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
};
const image = async (kind: string, ns: string, name: string) =>
  (
    await kubectlJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>([
      '-n',
      ns,
      'get',
      kind,
      name,
    ])
  ).spec.template.spec.containers[0]?.image;

const writes = async () => {
  const op = runOperator(await testCluster());
  return metricSum(op, 'rest_client_requests_total', { method: /^(POST|PUT|PATCH|DELETE)$/ });
};

describe('OSSM 3 ambient procedure on Ambit', () => {
  beforeAll(async () => {
    // Left over from the API tests, which also use the singletons.
    await kubectl(['delete', 'istiocni/default', 'ztunnel/default', '--ignore-not-found', '--timeout=60s']);
  });
  afterAll(async () => {
    await kubectl([
      'delete',
      'istio/default',
      'istiocni/default',
      'ztunnel/default',
      '--ignore-not-found',
      '--wait=false',
    ]);
  });

  test('create namespaces, apply each CR, and kubectl wait --for=condition=Ready succeeds', async () => {
    await kubectl(['create', 'namespace', 'istio-system']);
    await kubectl(['apply', '-f', 'config/samples/istio.yaml']);
    await kubectl(['wait', '--for=condition=Ready', 'istios/default', '--timeout=3m']);
    // Ambient needs the CNI and ztunnel: until they exist the Istio says which one is missing.
    const dependency = (reason: string) =>
      watchObject(resources.istio, 'default', undefined, (o) => condition(o, 'DependenciesHealthy')?.reason === reason);
    await dependency('IstioCNINotFound');
    await kubectl(['create', 'namespace', 'istio-cni']);
    await kubectl(['apply', '-f', 'config/samples/istio-cni.yaml']);
    await kubectl(['wait', '--for=condition=Ready', 'istiocni/default', '--timeout=3m']);
    await dependency('ZTunnelNotFound');
    await kubectl(['create', 'namespace', 'ztunnel']);
    await kubectl(['apply', '-f', 'config/samples/ztunnel.yaml']);
    await kubectl(['wait', '--for=condition=Ready', 'ztunnel/default', '--timeout=3m']);
    // With everything installed, the ambient control plane's dependencies are healthy too.
    await watchObject(
      resources.istio,
      'default',
      undefined,
      (o) => (o?.['status'] as { state?: string } | undefined)?.state === 'Healthy',
    );
    const { stdout } = await kubectl(['get', 'istio,istiocni,ztunnel']);
    expect(String(stdout)).toMatch(
      /istio.sailoperator.io\/default\s+istio-system\s+ambient\s+1\s+1\s+\d\s+default\s+Healthy/,
    );
    expect(String(stdout)).toMatch(/istiocni.sailoperator.io\/default\s+istio-cni\s+ambient\s+True\s+Healthy/);
    expect(String(stdout)).toMatch(/ztunnel.sailoperator.io\/default\s+ztunnel\s+True\s+Healthy/);
  });

  test('the Istio owns an IstioRevision named default; the rendered objects are owned and labelled', async () => {
    const rev = await kubectlJson<KubeObject>(['get', 'istiorevision', 'default']);
    expect(rev.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Istio', name: 'default', controller: true, blockOwnerDeletion: true }),
    ]);
    const istiod = await kubectlJson<KubeObject>(['-n', 'istio-system', 'get', 'deployment', 'istiod']);
    expect(istiod.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'IstioRevision',
      name: 'default',
      controller: true,
    });
    expect(istiod.metadata.labels?.['managed-by']).toBe('ambit-operator');
    const status = (await kubectlJson<KubeObject>(['get', 'istio', 'default']))['status'] as {
      activeRevisionName: string;
      revisions: object;
    };
    expect(status.activeRevisionName).toBe('default');
    expect(status.revisions).toMatchObject({ total: 1, ready: 1 });
  });

  test('ambient wiring: istiod trusts the ztunnel namespace, ztunnel points at istiod over HBONE-enabled xDS', async () => {
    const istiod = await containerEnv('deployment', 'istio-system', 'istiod');
    expect(istiod['PILOT_ENABLE_AMBIENT']).toBe('true');
    expect(istiod['CA_TRUSTED_NODE_ACCOUNTS']).toBe('ztunnel/ztunnel');
    const zt = await containerEnv('daemonset', 'ztunnel', 'ztunnel');
    expect(zt['XDS_ADDRESS']).toBe('istiod.istio-system.svc:15012');
    expect(zt['CA_ADDRESS']).toBe('istiod.istio-system.svc:15012');
    expect(zt['ISTIO_META_ENABLE_HBONE']).toBe('true');
    const cniConfig = await kubectlJson<{ data: Record<string, string> }>([
      '-n',
      'istio-cni',
      'get',
      'configmap',
      'istio-cni-config',
    ]);
    expect(cniConfig.data['AMBIENT_ENABLED']).toBe('true');
  });

  test('steady state: over 30 s of idle the operator writes nothing', async () => {
    // Idle means the cluster too: namespaces other tests are deleting change in-use status until they are gone.
    await watchUntil(resources.namespace, {}, (nss) => !nss.some((n) => n.metadata.deletionTimestamp), 60_000);
    const [before, mark] = [await writes(), await auditMark()];
    await new Promise((r) => setTimeout(r, 30_000));
    // The audit log names any write, should there be one.
    expect(await writesSince(mark)).toEqual([]);
    expect(await writes()).toBe(before);
  }, 60_000);

  test('discovery selectors: labelled namespaces and the seed update reach the mesh ConfigMap', async () => {
    for (const ns of ['istio-system', 'istio-cni', 'ztunnel'])
      await kubectl(['label', 'namespace', ns, 'istio-discovery=enabled']);
    await kubectl(['apply', '-f', 'config/samples/istio-discovery-selectors.yaml']);
    const cm = await watchObject(resources.configMap, 'istio', 'istio-system', (o) =>
      String((o?.['data'] as { mesh?: string } | undefined)?.mesh).includes('istio-discovery'),
    );
    const mesh = load((cm?.['data'] as { mesh: string }).mesh) as { discoverySelectors: unknown };
    expect(mesh.discoverySelectors).toEqual([{ matchLabels: { 'istio-discovery': 'enabled' } }]);
    await kubectl(['wait', '--for=condition=Ready', 'istios/default', '--timeout=60s']);
  });

  test('a namespace the selectors leave out is reported, and the warning clears once it is labelled', async () => {
    await kubectl(['label', 'namespace', 'ztunnel', 'istio-discovery-']);
    const warned = await watchObject(
      resources.istioRevision,
      'default',
      undefined,
      (o) => condition(o, 'NamespacesDiscovered')?.status === 'False',
    );
    expect(condition(warned, 'NamespacesDiscovered')?.message).toContain('"ztunnel"');
    // The Event follows the status write; wait for it rather than race it.
    const events = await until(
      () =>
        kubectl(['get', 'events', '-n', 'default', '--field-selector', 'reason=NamespaceNotDiscovered', '-o', 'name']),
      (r) => String(r.stdout) !== '',
      'a NamespaceNotDiscovered Event',
      10_000,
    );
    expect(String(events.stdout)).not.toBe('');
    await kubectl(['label', 'namespace', 'ztunnel', 'istio-discovery=enabled']);
    await watchObject(
      resources.istioRevision,
      'default',
      undefined,
      (o) => condition(o, 'NamespacesDiscovered') === undefined,
    );
  });

  test('the bookinfo namespace joins the ambient mesh, and the revision counts as in use', async () => {
    await kubectl(['create', 'namespace', 'bookinfo']);
    await kubectl(['label', 'namespace', 'bookinfo', 'istio-discovery=enabled']);
    await kubectl(['label', 'namespace', 'bookinfo', 'istio.io/dataplane-mode=ambient']);
    const rev = await watchObject(
      resources.istioRevision,
      'default',
      undefined,
      (o) => condition(o, 'InUse')?.status === 'True',
    );
    expect(condition(rev, 'InUse')?.reason).toBe('ReferencedByWorkloads');
  });

  test('drift: a deleted istiod Deployment comes back, an edited DaemonSet is reverted', async () => {
    await kubectl(['-n', 'istio-system', 'delete', 'deployment', 'istiod', '--wait=false']);
    await watchObject(
      resources.deployment,
      'istiod',
      'istio-system',
      (o) => o !== undefined && !o.metadata.deletionTimestamp,
    );
    await kubectl(['wait', '--for=condition=Ready', 'istios/default', '--timeout=60s']);
    await kubectl(['-n', 'ztunnel', 'set', 'env', 'daemonset/ztunnel', 'XDS_ADDRESS=elsewhere:1']);
    await watchObject(resources.daemonSet, 'ztunnel', 'ztunnel', (o) => {
      const env =
        (o?.['spec'] as { template: { spec: { containers: { env?: Env }[] } } } | undefined)?.template.spec
          .containers[0]?.env ?? [];
      return env.find((e) => e.name === 'XDS_ADDRESS')?.value === 'istiod.istio-system.svc:15012';
    });
  });

  test('targetRef: ztunnel inherits global values from the Istio, and its own values win', async () => {
    await kubectl([
      'patch',
      'istio',
      'default',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { values: { global: { hub: 'registry.example/istio', logAsJson: true, network: 'net1' } } },
      }),
    ]);
    const zt = (values?: object) => ({
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec: { namespace: 'ztunnel', targetRef: { kind: 'Istio', name: 'default' }, ...(values ? { values } : {}) },
    });
    await kubectl(['apply', '-f', '-'], { input: dump(zt()) });
    await watchObject(resources.daemonSet, 'ztunnel', 'ztunnel', (o) =>
      JSON.stringify(o?.['spec']).includes('registry.example/istio/ztunnel'),
    );
    const env = await containerEnv('daemonset', 'ztunnel', 'ztunnel');
    expect(env['LOG_FORMAT']).toBe('json');
    expect(env['NETWORK']).toBe('net1');
    const status = await watchObject(
      resources.zTunnel,
      'default',
      undefined,
      (o) => (o?.['status'] as { istioRevision?: string } | undefined)?.istioRevision === 'default',
    );
    expect(status).toBeDefined();
    await kubectl(['apply', '-f', '-'], {
      input: dump(zt({ ztunnel: { hub: 'mine.example/istio', env: { EXTRA: 'x' } } })),
    });
    await watchObject(resources.daemonSet, 'ztunnel', 'ztunnel', (o) =>
      JSON.stringify(o?.['spec']).includes('mine.example/istio/ztunnel'),
    );
    expect((await containerEnv('daemonset', 'ztunnel', 'ztunnel'))['EXTRA']).toBe('x');
    await kubectl(['apply', '-f', '-'], { input: dump(zt()) });
    await watchObject(resources.daemonSet, 'ztunnel', 'ztunnel', (o) =>
      JSON.stringify(o?.['spec']).includes('registry.example/istio/ztunnel'),
    );
    expect(await image('daemonset', 'ztunnel', 'ztunnel')).toMatch(/^registry\.example\/istio\/ztunnel:/);
  });

  test('a ZTunnel whose target is missing says so, and heals when the target appears', async () => {
    const zt = (targetName: string) =>
      dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'ZTunnel',
        metadata: { name: 'default' },
        spec: { namespace: 'ztunnel', targetRef: { kind: 'Istio', name: targetName } },
      });
    await kubectl(['apply', '-f', '-'], { input: zt('later') });
    const missing = await watchObject(
      resources.zTunnel,
      'default',
      undefined,
      (o) => condition(o, 'Reconciled')?.status === 'False',
    );
    expect(condition(missing, 'Reconciled')?.message).toContain('referenced Istio "later" not found');
    expect((missing?.['status'] as { istioRevision?: string }).istioRevision).toBe('');
    await kubectl(['create', 'namespace', 'istio-later']);
    await kubectl(['label', 'namespace', 'istio-later', 'istio-discovery=enabled']);
    await kubectl(['apply', '-f', '-'], {
      input: dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'Istio',
        metadata: { name: 'later' },
        spec: { namespace: 'istio-later', profile: 'ambient' },
      }),
    });
    await watchObject(
      resources.zTunnel,
      'default',
      undefined,
      (o) => (o?.['status'] as { istioRevision?: string } | undefined)?.istioRevision === 'later',
    );
    expect((await containerEnv('daemonset', 'ztunnel', 'ztunnel'))['XDS_ADDRESS']).toBe(
      'istiod-later.istio-later.svc:15012',
    );
    await kubectl(['apply', '-f', '-'], { input: zt('default') });
    await kubectl(['delete', 'istio/later', '--timeout=60s']);
    await watchObject(resources.istioRevision, 'later', undefined, (o) => o === undefined, 60_000);
    await kubectl(['delete', 'namespace', 'istio-later', '--wait=false']);
    await kubectl(['wait', '--for=condition=Ready', 'ztunnel/default', '--timeout=60s']);
  });

  test('a DaemonSet that cannot schedule anywhere makes the ZTunnel DaemonSetNotReady', async () => {
    const zt = (values?: object) =>
      dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'ZTunnel',
        metadata: { name: 'default' },
        spec: { namespace: 'ztunnel', targetRef: { kind: 'Istio', name: 'default' }, ...(values ? { values } : {}) },
      });
    await kubectl(['apply', '-f', '-'], { input: zt({ ztunnel: { nodeSelector: { 'no-such-node': 'true' } } }) });
    const notReady = await watchObject(
      resources.zTunnel,
      'default',
      undefined,
      (o) => condition(o, 'Ready')?.message === 'no ztunnel pods are currently scheduled',
    );
    expect(condition(notReady, 'Ready')).toMatchObject({ status: 'False', reason: 'DaemonSetNotReady' });
    expect((notReady?.['status'] as { state?: string }).state).toBe('DaemonSetNotReady');
    await kubectl(['apply', '-f', '-'], { input: zt() });
    await kubectl(['wait', '--for=condition=Ready', 'ztunnel/default', '--timeout=60s']);
  });

  test('CNI values and versions: dnsCapture reaches the CNI ConfigMap, a version bump rolls new images', async () => {
    const cni = (spec: object) =>
      dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'IstioCNI',
        metadata: { name: 'default' },
        spec: { namespace: 'istio-cni', profile: 'ambient', ...spec },
      });
    await kubectl(['apply', '-f', '-'], { input: cni({ values: { cni: { ambient: { dnsCapture: false } } } }) });
    await watchObject(
      resources.configMap,
      'istio-cni-config',
      'istio-cni',
      (o) => (o?.['data'] as Record<string, string> | undefined)?.['AMBIENT_DNS_CAPTURE'] === 'false',
    );
    await kubectl(['apply', '-f', '-'], { input: cni({ version: 'v1.31.4' }) });
    await watchObject(resources.daemonSet, 'istio-cni-node', 'istio-cni', (o) =>
      JSON.stringify(o?.['spec']).includes('install-cni:1.31.4'),
    );
    await kubectl(['wait', '--for=condition=Ready', 'istiocni/default', '--timeout=60s']);
    expect(
      (await kubectlJson<{ data: Record<string, string> }>(['-n', 'istio-cni', 'get', 'configmap', 'istio-cni-config']))
        .data['AMBIENT_DNS_CAPTURE'],
    ).toBe('true');
  });

  test('deleting the CRs removes their workloads and leaves the namespaces empty', async () => {
    for (const cr of ['ztunnel/default', 'istiocni/default', 'istiorevision/default']) {
      const o = await kubectlJson<KubeObject>(['get', cr]);
      expect({ cr, finalizers: o.metadata.finalizers }).toEqual({ cr, finalizers: ['sailoperator.io/sail-operator'] });
    }
    await kubectl(['delete', 'ztunnel/default', 'istiocni/default', 'istio/default', '--timeout=120s']);
    // The Istio goes at once; its IstioRevision (garbage collected after it) keeps its finalizer until its
    // control plane is gone.
    await watchObject(resources.istioRevision, 'default', undefined, (o) => o === undefined, 60_000);
    for (const ns of ['ztunnel', 'istio-cni', 'istio-system']) {
      await watchUntil(resources.pod, { namespace: ns }, (pods) => pods.length === 0, 60_000);
      const left = await kubectl([
        '-n',
        ns,
        'get',
        'deployments,daemonsets,services,configmaps,serviceaccounts',
        '-l',
        'managed-by=ambit-operator',
        '-o',
        'name',
      ]);
      expect({ ns, left: String(left.stdout) }).toEqual({ ns, left: '' });
    }
    const roles = await kubectl([
      'get',
      'clusterroles,clusterrolebindings',
      '-l',
      'managed-by=ambit-operator',
      '-o',
      'name',
    ]);
    expect(String(roles.stdout)).toBe('');
  });

  test('created in the reverse order (ZTunnel, IstioCNI, Istio) everything still converges to Ready', async () => {
    await kubectl(['apply', '-f', 'config/samples/ztunnel.yaml']);
    await kubectl(['apply', '-f', 'config/samples/istio-cni.yaml']);
    await kubectl(['apply', '-f', 'config/samples/istio.yaml']);
    await kubectl([
      'wait',
      '--for=condition=Ready',
      'ztunnel/default',
      'istiocni/default',
      'istios/default',
      '--timeout=3m',
    ]);
    await watchObject(
      resources.istio,
      'default',
      undefined,
      (o) => (o?.['status'] as { state?: string } | undefined)?.state === 'Healthy',
    );
  });
});
