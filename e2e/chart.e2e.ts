// The operator's Helm chart against the real cluster, as users install it: helm install, RBAC without wildcards that
// is enough to run the OSSM ambient procedure (the operator runs locally as the chart's ServiceAccount), the same
// objects in config/install.yaml, helm upgrade, and helm uninstall leaving the CRDs. The chart's pod is KWOK's and
// runs nothing, so the local operator is the only one reconciling while the shared one is paused.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump, load, loadAll } from 'js-yaml';
import type { KubeObject } from '../src/kube/objects.ts';
import { resources } from '../src/kube/resources.ts';
import type { PolicyRule } from '../src/render/rbac.ts';
import { wildcards } from '../src/chart/rbac-covers.ts';
import { logTail } from './cluster/processes.ts';
import { helm, kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { startOperator } from './harness/operator.ts';
import { serviceAccountKubeconfig } from './harness/service-account-kubeconfig.ts';
import { pauseSharedOperator, stopRecorded } from './harness/shared-operator.ts';
import { condition, watchObject } from './harness/wait.ts';

// The names config/install.yaml and the README use.
const release = 'ambit-operator';
const ns = 'ambit-operator';
const chart = 'charts/ambit-operator';
const localOperator = 'chart-operator';
const suffix = randomBytes(3).toString('hex');
const istioName = `chart-${suffix}`;
const namespaces = { istio: `chart-istio-${suffix}`, cni: `chart-cni-${suffix}`, ztunnel: `chart-zt-${suffix}` };
const crs = [`istio/${istioName}`, 'istiocni/default', 'ztunnel/default'];

const id = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const docs = (text: string) => (loadAll(text) as (KubeObject | null)[]).filter((o) => o !== null);
const chartCrdNames = readdirSync(`${chart}/crds`).map(
  (f) => (load(readFileSync(`${chart}/crds/${f}`, 'utf8')) as KubeObject).metadata.name,
);
const releaseObjects = [
  `serviceaccount/${release}`,
  `deployment/${release}`,
  `service/${release}-metrics`,
  `role/${release}-leader-election`,
  `rolebinding/${release}-leader-election`,
];
const clusterObjects = [`clusterrole/${release}`, `clusterrolebinding/${release}`];
const existing = async (args: string[]) =>
  String((await kubectl(['get', ...args, '--ignore-not-found', '-o', 'name'])).stdout).trim();

/** The seed's three CRs (config/samples/ambient.yaml) in this file's namespaces, the Istio under a unique name. */
function ambientCrs(): string {
  const [istio, cni, zt] = loadAll(readFileSync('config/samples/ambient.yaml', 'utf8')) as {
    metadata: { name: string };
    spec: Record<string, unknown> & { values?: { pilot: Record<string, string> } };
  }[];
  if (!istio || !cni || !zt) throw new Error('config/samples/ambient.yaml should hold an Istio, IstioCNI and ZTunnel');
  istio.metadata.name = istioName;
  istio.spec['namespace'] = namespaces.istio;
  istio.spec.values = { pilot: { trustedZtunnelNamespace: namespaces.ztunnel } };
  cni.spec['namespace'] = namespaces.cni;
  zt.spec['namespace'] = namespaces.ztunnel;
  zt.spec['targetRef'] = { kind: 'Istio', name: istioName };
  return [istio, cni, zt].map((o) => dump(o)).join('---\n');
}

describe('the ambit-operator Helm chart', () => {
  let resume: (() => Promise<void>) | undefined;
  let installOutput = '';

  beforeAll(async () => {
    // Left over from files that share the singletons; removed while the shared operator can still finalize them.
    await kubectl(['delete', 'istiocni/default', 'ztunnel/default', '--ignore-not-found', '--timeout=60s']);
  });

  // Whatever failed, later files find the cluster as before: no CRs or namespaces of ours, the shared operator back.
  afterAll(async () => {
    const cluster = await testCluster();
    // CRs left by a failed test still carry finalizers: delete them with an operator running.
    if (!cluster.processes.some((p) => p.name === localOperator)) await resume?.();
    await kubectl(['delete', ...crs, '--ignore-not-found', '--timeout=60s']);
    await stopRecorded(cluster, localOperator);
    await resume?.();
    await helm(['uninstall', release, '-n', ns, '--ignore-not-found', '--wait']);
    const all = [ns, ...Object.values(namespaces)].map((n) => `namespace/${n}`);
    await kubectl(['delete', ...all, '--ignore-not-found', '--wait=false']);
  });

  test('helm install --create-namespace --wait: the operator is Ready; CRDs, ServiceAccount and RBAC exist', async () => {
    const { stdout } = await helm([
      'install',
      release,
      chart,
      '-n',
      ns,
      '--create-namespace',
      '--wait',
      '--timeout=60s',
    ]);
    installOutput = String(stdout);
    expect(installOutput).toContain('STATUS: deployed');
    await kubectl(['-n', ns, 'rollout', 'status', `deployment/${release}`, '--timeout=10s']);
    await kubectl(['get', 'crd', ...chartCrdNames]);
    expect((await existing(['-n', ns, ...releaseObjects])).split('\n')).toHaveLength(releaseObjects.length);
    expect((await existing(clusterObjects)).split('\n')).toHaveLength(clusterObjects.length);
    const binding = await kubectlJson<{ subjects: object[] }>(['get', `clusterrolebinding/${release}`]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: release, namespace: ns }]);
  });

  test('the NOTES say how to apply the CRs, that uninstall leaves the CRDs, and how to remove them', () => {
    expect(installOutput).toContain('kubectl wait --for=condition=Ready istios/default --timeout=3m');
    expect(installOutput).toContain('kubectl wait --for=condition=Ready ztunnels/default --timeout=3m');
    expect(installOutput).toContain('delete the CRs first');
    expect(installOutput).toContain('helm uninstall leaves the CRDs');
    expect(installOutput).toMatch(/xargs kubectl delete/);
  });

  test('no ClusterRole or Role rule of the chart has a `*` (nor escalate or bind)', async () => {
    const { items } = await kubectlJson<{ items: { rules: PolicyRule[] }[] }>([
      'get',
      'clusterroles,roles',
      '-A',
      '-l',
      `app.kubernetes.io/instance=${release}`,
    ]);
    expect(items).toHaveLength(2);
    const rules = items.flatMap((r) => r.rules);
    expect(rules.flatMap(wildcards)).toEqual([]);
    expect(rules.flatMap((r) => r.verbs).filter((v) => v === 'escalate' || v === 'bind')).toEqual([]);
  });

  test('kubectl apply --dry-run=server of config/install.yaml: the same objects as the release, pods restricted', async () => {
    const install = docs(readFileSync('config/install.yaml', 'utf8'));
    const manifest = docs(String((await helm(['get', 'manifest', release, '-n', ns])).stdout));
    const { stdout, stderr } = await kubectl(['apply', '--dry-run=server', '-f', 'config/install.yaml', '-o', 'json']);
    const applied = (JSON.parse(String(stdout)) as { items: KubeObject[] }).items;
    expect(applied.map(id).sort()).toEqual(install.map(id).sort());
    // Beyond the Namespace and the CRDs, install.yaml is the release's manifest, object for object.
    const rest = install.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');
    expect(rest).toEqual(manifest);
    expect(install.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toEqual(
      chartCrdNames,
    );
    // The Namespace enforces the restricted Pod Security Standard: the API server names pods that would violate it.
    expect(String(stderr)).not.toMatch(/violate/i);
  });

  test("the chart's RBAC is enough: as its ServiceAccount, the operator brings the ambient CRs to Ready and deletes them", async () => {
    const cluster = await testCluster();
    const kubeconfig = await serviceAccountKubeconfig(
      cluster,
      ns,
      release,
      `${cluster.runDir}/chart-operator.kubeconfig`,
    );
    resume = await pauseSharedOperator(cluster);
    // With leader election, as the chart runs it: the Lease goes through the chart's Role.
    const op = await startOperator(cluster, ['--leader-elect=true', `--namespace=${ns}`], {
      name: localOperator,
      kubeconfig,
    });
    try {
      for (const n of Object.values(namespaces)) await kubectl(['create', 'namespace', n]);
      await kubectl(['apply', '-f', '-'], { input: ambientCrs() });
      // Settled: Ready, or failing for want of a permission (then at once, with the API server's message).
      const settled = (o: KubeObject | undefined) =>
        condition(o, 'Ready')?.status === 'True' || /forbidden/.test(condition(o, 'Reconciled')?.message ?? '');
      const objects = await Promise.all([
        watchObject(resources.istio, istioName, undefined, settled, 60_000),
        watchObject(resources.istioCni, 'default', undefined, settled, 60_000),
        watchObject(resources.zTunnel, 'default', undefined, settled, 60_000),
      ]);
      const readiness = (o: KubeObject | undefined) => ({
        kind: o?.kind,
        ready: condition(o, 'Ready')?.status,
        reconciled: condition(o, 'Reconciled')?.message,
      });
      expect(objects.map(readiness)).toEqual(
        ['Istio', 'IstioCNI', 'ZTunnel'].map((kind) => expect.objectContaining({ kind, ready: 'True' })),
      );
      const lease = await kubectlJson<{ spec: { holderIdentity: string } }>([
        '-n',
        ns,
        'get',
        'lease',
        'ambit-operator-lock',
      ]);
      // Held by this process (identity <host>-<pid>): the chart's Role lets it take and renew the Lease.
      expect(lease.spec.holderIdentity).toMatch(new RegExp(`-${op.pid}$`));
      // Deletion runs the finalizers: owned objects deleted in the foreground, then our finalizer removed.
      await kubectl(['delete', ...crs, '--timeout=60s']);
      const log = readFileSync(op.logFile, 'utf8');
      expect(log).not.toMatch(/forbidden/i);
      expect(log).toContain('became leader');
    } catch (err) {
      // An RBAC denial shows in the operator's log as a 403 from the API server.
      throw new Error(`${(err as Error).message}\n--- ${op.logFile} ---\n${logTail(op.logFile, 20)}`, {
        cause: err,
      });
    } finally {
      await stopRecorded(cluster, localOperator);
      await resume();
    }
  });

  test('helm upgrade with new values rolls the Deployment; helm status still has the NOTES', async () => {
    const before = await kubectlJson<KubeObject>(['-n', ns, 'get', 'deployment', release]);
    await helm(['upgrade', release, chart, '-n', ns, '--reuse-values', '--set', 'logLevel=debug,replicas=2', '--wait']);
    const after = await kubectlJson<KubeObject>(['-n', ns, 'get', 'deployment', release]);
    expect(after.metadata.generation).toBeGreaterThan(before.metadata.generation ?? 0);
    const spec = after['spec'] as { replicas: number; template: { spec: { containers: { args: string[] }[] } } };
    expect(spec.replicas).toBe(2);
    expect(spec.template.spec.containers[0]?.args).toContain('--log-level=debug');
    const status = String((await helm(['status', release, '-n', ns])).stdout);
    expect(status).toMatch(/REVISION: 2/);
    expect(status).toContain('helm uninstall leaves the CRDs');
  });

  test('helm uninstall removes the release objects and leaves the CRDs', async () => {
    await helm(['uninstall', release, '-n', ns, '--wait']);
    expect(await existing(['-n', ns, ...releaseObjects])).toBe('');
    expect(await existing(clusterObjects)).toBe('');
    expect((await existing(chartCrdNames.map((n) => `crd/${n}`))).split('\n')).toHaveLength(chartCrdNames.length);
  });
});
