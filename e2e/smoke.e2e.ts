// The test cluster behaves like a real one: workloads become Ready on the fake nodes, namespaces and owned objects
// are cleaned up, helm installs and uninstalls, and nothing listens or connects beyond loopback.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { dump } from 'js-yaml';
import { createNamespace, helm, kubectl, kubectlJson, testCluster } from './harness/cluster.ts';
import { isAlive } from './cluster/processes.ts';
import { isLoopback, tcpSockets } from './harness/sockets.ts';

interface Node {
  status: { conditions: { type: string; status: string }[]; addresses: { type: string; address: string }[] };
  spec: { taints?: unknown[] };
}

const pause = (name: string) => ({ name, image: 'registry.invalid/pause:3.10' });

describe('test cluster', () => {
  let ns: { name: string; remove: () => Promise<void> };
  beforeAll(async () => {
    ns = await createNamespace('smoke');
  });
  afterAll(async () => {
    await ns.remove();
  });

  test('reports the pinned Kubernetes version and has two Ready, untainted nodes on 127.0.0.1', async () => {
    const version = await kubectlJson<{ serverVersion: { gitVersion: string } }>(['version']);
    expect(version.serverVersion.gitVersion).toBe('v1.37.2');
    const nodes = await kubectlJson<{ items: Node[] }>(['get', 'nodes']);
    expect(nodes.items).toHaveLength(2);
    for (const node of nodes.items) {
      expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
      expect(node.spec.taints ?? []).toEqual([]);
    }
  });

  test('a 3-replica Deployment becomes Available', async () => {
    await kubectl(['-n', ns.name, 'create', 'deployment', 'web', '--image=registry.invalid/web:1', '--replicas=3']);
    await kubectl(['-n', ns.name, 'wait', '--for=condition=Available', 'deployment/web', '--timeout=60s']);
    const d = await kubectlJson<{ status: { readyReplicas: number } }>(['-n', ns.name, 'get', 'deployment', 'web']);
    expect(d.status.readyReplicas).toBe(3);
  });

  test('a DaemonSet reports numberReady equal to the node count', async () => {
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: ns.name },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [pause('agent')] } },
      },
    };
    await kubectl(['apply', '-f', '-'], { input: dump(ds) });
    await kubectl([
      '-n',
      ns.name,
      'wait',
      '--for=jsonpath={.status.numberReady}=2',
      'daemonset/agent',
      '--timeout=60s',
    ]);
    const nodes = await kubectlJson<{ items: unknown[] }>(['get', 'nodes']);
    const status = await kubectlJson<{ status: { numberReady: number } }>(['-n', ns.name, 'get', 'daemonset', 'agent']);
    expect(status.status.numberReady).toBe(nodes.items.length);
  });

  test('garbage collection deletes an owned object when its owner goes', async () => {
    await kubectl(['-n', ns.name, 'create', 'configmap', 'owner', '--from-literal=k=v']);
    const owner = await kubectlJson<{ metadata: { uid: string } }>(['-n', ns.name, 'get', 'configmap', 'owner']);
    const child = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'child',
        namespace: ns.name,
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      },
      data: { k: 'v' },
    };
    await kubectl(['apply', '-f', '-'], { input: dump(child) });
    await kubectl(['-n', ns.name, 'delete', 'configmap', 'owner']);
    await kubectl(['-n', ns.name, 'wait', '--for=delete', 'configmap/child', '--timeout=30s']);
  });

  test('deleting a namespace with a running pod completes', async () => {
    const doomed = await createNamespace('doomed');
    await kubectl(['-n', doomed.name, 'run', 'p', '--image=registry.invalid/pause:3.10']);
    await kubectl(['-n', doomed.name, 'wait', '--for=condition=Ready', 'pod/p', '--timeout=60s']);
    await kubectl(['delete', 'namespace', doomed.name, '--timeout=60s']);
    const left = await kubectl(['get', 'namespace', doomed.name, '--ignore-not-found', '-o', 'name']);
    expect(left.stdout).toBe('');
  });

  test('helm installs a chart with --wait and uninstall removes what it made', async () => {
    const chart = await mkdtemp(join(tmpdir(), 'ambit-chart-'));
    await mkdir(join(chart, 'templates'));
    await writeFile(
      join(chart, 'Chart.yaml'),
      dump({ apiVersion: 'v2', name: 'tiny', version: '0.1.0', kubeVersion: '>=1.30.0-0' }),
    );
    const labels = { app: '{{ .Release.Name }}' };
    await writeFile(
      join(chart, 'templates', 'all.yaml'),
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '{{ .Release.Name }}-config' },
          data: { kube: '{{ .Capabilities.KubeVersion }}' },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: '{{ .Release.Name }}' },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: { containers: [pause('app')] } },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: '{{ .Release.Name }}' },
          spec: { selector: labels, ports: [{ port: 80 }] },
        },
      ]
        .map((o) => dump(o))
        .join('---\n'),
    );
    await helm(['install', 'tiny', chart, '-n', ns.name, '--wait', '--timeout=60s']);
    const status = await helm(['status', 'tiny', '-n', ns.name, '-o', 'json']);
    expect((JSON.parse(String(status.stdout)) as { info: { status: string } }).info.status).toBe('deployed');
    const config = await kubectlJson<{ data: { kube: string } }>(['-n', ns.name, 'get', 'configmap', 'tiny-config']);
    expect(config.data.kube).toBe('v1.37.2');
    const d = await kubectlJson<{ status: { readyReplicas: number } }>(['-n', ns.name, 'get', 'deployment', 'tiny']);
    expect(d.status.readyReplicas).toBe(2);

    await helm(['uninstall', 'tiny', '-n', ns.name, '--wait', '--timeout=60s']);
    const left = await kubectl(['-n', ns.name, 'get', 'configmap,deployment,service', '-l', 'app=tiny', '-o', 'name']);
    expect(left.stdout).toBe('');
    await kubectl(['-n', ns.name, 'wait', '--for=delete', 'configmap/tiny-config', 'service/tiny', '--timeout=30s']);
    await rm(chart, { recursive: true, force: true });
  });

  test("the machine's own kubectl works against the kubeconfig", async () => {
    const cluster = await testCluster();
    // The first kubectl on the PATH that is not the one built into the cache (a user's own), else the cached one.
    const { stdout } = await execa('bash', ['-c', 'which -a kubectl || true']);
    const own = stdout.split('\n').find((p) => p && !p.startsWith(cluster.binDir)) ?? `${cluster.binDir}/kubectl`;
    const out = await execa(own, ['--kubeconfig', cluster.kubeconfig, 'get', 'namespace', 'default', '-o', 'name'], {
      env: { ...process.env, KUBECACHEDIR: `${cluster.runDir}/kube-cache` },
    });
    expect(out.stdout).toBe('namespace/default');
  });

  test('no APIService points at a Service, and every component socket is on loopback', async () => {
    const apiServices = await kubectlJson<{ items: { metadata: { name: string }; spec: { service?: unknown } }[] }>([
      'get',
      'apiservices',
    ]);
    expect(apiServices.items.filter((a) => a.spec.service != null).map((a) => a.metadata.name)).toEqual([]);
    const cluster = await testCluster();
    // Everything still running beside the cluster: its components, and the operator and control planes of the run.
    for (const p of cluster.processes.filter((x) => isAlive(x.pid))) {
      const sockets = tcpSockets(p.pid);
      expect(sockets.length).toBeGreaterThan(0);
      const outside = sockets.filter((s) => !isLoopback(s.local) || (!s.listening && !isLoopback(s.remote)));
      expect({ component: p.name, outside }).toEqual({ component: p.name, outside: [] });
    }
  });
});
