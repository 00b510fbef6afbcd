// The waypoint controller on a fresh cluster, timed as istiod was (istio-waypoint.md §9): streaming watches on
// Deployments and Gateways started before the POST, t0 just before it. 20 Gateways one at a time → Deployment exists
// and → Programmed=True (p50/p90); then 500 Gateways in 50 namespaces posted at once → all Deployments, all
// Programmed; the control plane's writes per generated object (audit log), its CPU and memory.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../src/kube/api-client.ts';
import { Informer } from '../../src/kube/informer.ts';
import { createLogger } from '../../src/kube/logger.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { resources } from '../../src/kube/resources.ts';
import { percentile, type Report } from './report.ts';
import { startBenchMesh } from './mesh-cluster.ts';

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (f: string) => Number(new RegExp(`${f}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
};

/** User + system CPU seconds of a process so far. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** The V8 heap in use, from the process's own /metrics: what RSS holds beyond garbage not yet collected. */
async function heapUsedMb(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN) / 2 ** 20;
}

const gateway = (name: string, namespace: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
});

const programmed = (gw: KubeObject) =>
  ((gw['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Programmed' && c.status === 'True',
  );

/** When each Deployment first appeared and each Gateway first turned Programmed, by `ns/name`, from live watches. */
class Milestones {
  readonly created = new Map<string, number>();
  readonly programmed = new Map<string, number>();
  /** When the first waypoint pod of each Gateway turned Ready: the cluster's part of the chain ends there. */
  readonly podReady = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  readonly informers: Informer<KubeObject>[];

  constructor(api: ApiClient) {
    const log = createLogger('error');
    const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const deployments = new Informer<KubeObject>(api, resources.deployment, {}, log).on({
      add: (d) => this.mark(this.created, key(d)),
      update: () => undefined,
      delete: () => undefined,
    });
    const onGateway = (g: KubeObject) => {
      if (programmed(g)) this.mark(this.programmed, key(g));
    };
    const gateways = new Informer<KubeObject>(api, resources.gateway, {}, log).on({
      add: onGateway,
      update: (_o, g) => onGateway(g),
      delete: () => undefined,
    });
    const onPod = (p: KubeObject) => {
      const gw = p.metadata.labels?.['gateway.networking.k8s.io/gateway-name'];
      const conditions = (p['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
      if (gw && conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
        this.mark(this.podReady, `${p.metadata.namespace ?? ''}/${gw}`);
    };
    const pods = new Informer<KubeObject>(api, resources.pod, {}, log).on({
      add: onPod,
      update: (_o, p) => onPod(p),
      delete: () => undefined,
    });
    this.informers = [deployments, gateways, pods];
  }

  private mark(map: Map<string, number>, key: string): void {
    if (map.has(key)) return;
    map.set(key, performance.now());
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `done()` holds, re-checked on every milestone. */
  async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('timed out waiting on waypoint milestones');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000).unref();
      });
    }
  }
}

async function applyCounts(auditLog: string, since: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await readFile(auditLog, 'utf8')).split('\n').slice(since)) {
    if (!line) continue;
    const e = JSON.parse(line) as {
      userAgent?: string;
      verb: string;
      objectRef?: { resource?: string; subresource?: string };
    };
    if (!e.userAgent?.startsWith('ambit-control-plane/')) continue;
    const k = `${e.verb} ${e.objectRef?.resource ?? '?'}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export async function benchWaypoints(namespaces = 50, perNamespace = 10, singles = 20): Promise<Report> {
  const { state, api, client, kubectl, controlPlane: cp, stop } = await startBenchMesh();
  const milestones = new Milestones(api);
  try {
    const idle = rssMb(cp.pid);
    for (const i of milestones.informers) i.start();
    await Promise.all(milestones.informers.map((i) => i.waitForSync()));

    await kubectl(['create', 'namespace', 'one']);
    const toCreated: number[] = [];
    const toProgrammed: number[] = [];
    const readyToProgrammed: number[] = [];
    for (let i = 0; i < singles; i++) {
      const key = `one/wp-${i}`;
      const t0 = performance.now();
      await client.create(gateway(`wp-${i}`, 'one'), 'ambit-bench');
      await milestones.until(() => milestones.programmed.has(key), 60_000);
      toCreated.push((milestones.created.get(key) ?? NaN) - t0);
      toProgrammed.push((milestones.programmed.get(key) ?? NaN) - t0);
      readyToProgrammed.push((milestones.programmed.get(key) ?? NaN) - (milestones.podReady.get(key) ?? NaN));
    }

    const names = Array.from({ length: namespaces }, (_, i) => `bench-${i}`);
    await Promise.all(
      names.map((n) => client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }, 'ambit-bench')),
    );
    const keys = names.flatMap((ns) => Array.from({ length: perNamespace }, (_, j) => `${ns}/wp-${j}`));
    const auditLog = join(state.runDir, 'logs', 'audit.log');
    const auditStart = (await readFile(auditLog, 'utf8')).split('\n').length - 1;
    const cpu0 = cpuSeconds(cp.pid);
    const t1 = performance.now();
    await Promise.all(
      keys.map((k) => {
        const [ns = '', name = ''] = k.split('/');
        return client.create(gateway(name, ns), 'ambit-bench');
      }),
    );
    await milestones.until(() => keys.every((k) => milestones.created.has(k)), 300_000);
    const allCreated = Math.max(...keys.map((k) => milestones.created.get(k) ?? NaN)) - t1;
    const createdP50 = percentile(
      keys.map((k) => (milestones.created.get(k) ?? NaN) - t1),
      50,
    );
    await milestones.until(() => keys.every((k) => milestones.programmed.has(k)), 300_000);
    const allProgrammed = Math.max(...keys.map((k) => milestones.programmed.get(k) ?? NaN)) - t1;
    const cpu = cpuSeconds(cp.pid) - cpu0;
    const loaded = rssMb(cp.pid);
    const heap = await heapUsedMb(cp.port);
    const writes = await applyCounts(auditLog, auditStart);
    const n = keys.length;
    const per = (k: string) => ((writes.get(k) ?? 0) / n).toFixed(2);
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    return {
      title: `waypoint controller (istiod's numbers: istio-waypoint.md §9)`,
      rows: [
        `Gateway created → Deployment exists (${singles}, one at a time)   p50 ${ms(percentile(toCreated, 50))}, p90 ${ms(percentile(toCreated, 90))}   (istiod p50 28.9, p90 34.2)`,
        `Gateway created → Programmed=True                  p50 ${ms(percentile(toProgrammed, 50))}, p90 ${ms(percentile(toProgrammed, 90))}   (istiod p50 190, p90 223)`,
        `of which pod Ready → Programmed=True (ours)      p50 ${ms(percentile(readyToProgrammed, 50))}, p90 ${ms(percentile(readyToProgrammed, 90))}`,
        `${n} Gateways in ${namespaces} namespaces at once → all Deployments   ${(allCreated / 1000).toFixed(1)} s (p50 ${(createdP50 / 1000).toFixed(1)} s)   (istiod 26.4 s, p50 14.0 s)`,
        `→ all ${n} Programmed=True                          ${(allProgrammed / 1000).toFixed(1)} s   (istiod 98.6 s)`,
        `writes per Gateway: SA ${per('patch serviceaccounts')}, Deployment ${per('patch deployments')}, Service ${per('patch services')}, Gateway ${per('patch gateways')}, Gateway status ${per('patch gateways/status')}   (istiod ≈3.8 applies per object, ≈3.8 status applies + 3.0 status updates per Gateway)`,
        `control plane CPU for the ${n}                     ${cpu.toFixed(1)} CPU-s   (istiod 23.8)`,
        `control plane RSS idle / with them / peak         ${idle.rss.toFixed(0)} / ${loaded.rss.toFixed(0)} / ${loaded.peak.toFixed(0)} MB (heap in use ${heap.toFixed(0)} MB)   (istiod 130 / 223)`,
      ],
    };
  } finally {
    for (const i of milestones.informers) i.stop();
    await stop();
  }
}
