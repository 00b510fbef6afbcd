// The waypoint controller on a fresh cluster: one Gateway → Deployment created → Programmed; then 500 Gateways in
// 50 namespaces → all Programmed; the control plane's memory with them.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { dump } from 'js-yaml';
import { startCluster, stopCluster } from '../cluster/cluster.ts';
import { clusterEnv } from '../cluster/environment.ts';
import { installGatewayApi } from '../cluster/gateway-api.ts';
import { startControlPlane } from '../harness/control-plane.ts';
import { startOperator } from '../harness/operator.ts';
import type { Report } from './report.ts';

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (f: string) => Number(new RegExp(`${f}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
};

const gateway = (name: string, namespace: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
});

export async function benchWaypoints(namespaces = 50, perNamespace = 10): Promise<Report> {
  const runDir = await mkdtemp(join(tmpdir(), 'ambit-bench-'));
  const state = await startCluster({
    runDir,
    beforeControllers: async (s) => {
      await installGatewayApi(s);
      await execa('kubectl', ['apply', '-f', 'crds/'], { env: clusterEnv(s) });
    },
  });
  const env = clusterEnv(state);
  const kubectl = (args: string[], input?: string) =>
    execa('kubectl', args, { env, ...(input === undefined ? {} : { input }) });
  try {
    await startOperator(state);
    await kubectl(['create', 'namespace', 'istio-system']);
    await kubectl(['apply', '-f', 'config/samples/istio.yaml']);
    await kubectl(['wait', '--for=condition=Ready', 'istio/default', '--timeout=120s']);
    const cp = await startControlPlane(state, 'istio-system', 'default');
    const idle = rssMb(cp.pid);

    await kubectl(['create', 'namespace', 'one']);
    const t0 = Date.now();
    await kubectl(['apply', '-f', '-'], dump(gateway('waypoint', 'one')));
    await kubectl(['-n', 'one', 'wait', '--for=create', 'deployment/waypoint', '--timeout=60s']);
    const createdMs = Date.now() - t0;
    await kubectl(['-n', 'one', 'wait', '--for=condition=Programmed', 'gateway/waypoint', '--timeout=60s']);
    const programmedMs = Date.now() - t0;

    const names = Array.from({ length: namespaces }, (_, i) => `bench-${i}`);
    await kubectl(
      ['apply', '-f', '-'],
      names.map((n) => dump({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })).join('---\n'),
    );
    const docs = names.flatMap((ns) => Array.from({ length: perNamespace }, (_, j) => dump(gateway(`wp-${j}`, ns))));
    const t1 = Date.now();
    await kubectl(['apply', '-f', '-'], docs.join('---\n'));
    for (const ns of names)
      await kubectl(['-n', ns, 'wait', '--for=condition=Programmed', 'gateway', '--all', '--timeout=300s']);
    const manyMs = Date.now() - t1;
    const loaded = rssMb(cp.pid);
    return {
      title: `waypoint controller (istiod's numbers: istio-waypoint.md §9)`,
      rows: [
        `Gateway created → Deployment created          ${createdMs} ms`,
        `Gateway created → Programmed=True             ${programmedMs} ms`,
        `${namespaces * perNamespace} Gateways in ${namespaces} namespaces → all Programmed   ${manyMs} ms`,
        `control plane RSS idle / with them / peak     ${idle.rss.toFixed(0)} / ${loaded.rss.toFixed(0)} / ${loaded.peak.toFixed(0)} MB`,
      ],
    };
  } finally {
    await stopCluster(state);
    await rm(runDir, { recursive: true, force: true });
  }
}
