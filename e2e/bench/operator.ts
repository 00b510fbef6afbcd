// The operator on a fresh cluster: the OSSM procedure's three CRs applied at once → all Ready; reconciles and API
// writes per CR to get there (writes counted from the API server's audit log by our user agent); the operator's
// memory; and how fast a deleted istiod Deployment is restored.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startCluster, stopCluster } from '../cluster/cluster.ts';
import { clusterEnv } from '../cluster/environment.ts';
import { metricSum, startOperator } from '../harness/operator.ts';
import type { Report } from './report.ts';

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface AuditEvent {
  userAgent?: string;
  verb: string;
  objectRef?: { resource?: string; subresource?: string };
}

async function operatorWrites(auditLog: string, since: number): Promise<Map<string, number>> {
  const lines = (await readFile(auditLog, 'utf8')).split('\n').slice(since);
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (!line) continue;
    const e = JSON.parse(line) as AuditEvent;
    if (!e.userAgent?.startsWith('ambit-operator/')) continue;
    const key = `${e.objectRef?.resource ?? '?'}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const auditLines = async (file: string) => (await readFile(file, 'utf8')).split('\n').length - 1;

export async function benchOperator(): Promise<Report> {
  const runDir = await mkdtemp(join(tmpdir(), 'ambit-bench-'));
  const state = await startCluster({ runDir });
  const env = clusterEnv(state);
  const kubectl = (...args: string[]) => execa('kubectl', args, { env });
  try {
    await kubectl('apply', '-f', 'crds/');
    await kubectl('wait', '--for=condition=Established', '-f', 'crds/', '--timeout=60s');
    const startedAt = Date.now();
    const op = await startOperator(state);
    const startMs = Date.now() - startedAt;
    const idle = memoryMb(op.pid);
    for (const ns of ['istio-system', 'istio-cni', 'ztunnel']) await kubectl('create', 'namespace', ns);
    const audit = `${runDir}/logs/audit.log`;
    const before = await auditLines(audit);
    const t0 = Date.now();
    await kubectl(
      'apply',
      '-f',
      'config/samples/istio.yaml',
      '-f',
      'config/samples/istio-cni.yaml',
      '-f',
      'config/samples/ztunnel.yaml',
    );
    await kubectl(
      'wait',
      '--for=condition=Ready',
      'istios/default',
      'istiocni/default',
      'ztunnel/default',
      '--timeout=3m',
    );
    const readyMs = Date.now() - t0;
    const reconciles = await Promise.all(
      ['istio', 'istiorevision', 'istiocni', 'ztunnel'].map(
        async (c) => `${c} ${await metricSum(op, 'controller_runtime_reconcile_total', { controller: c })}`,
      ),
    );
    const writes = await operatorWrites(audit, before);
    const totalWrites = [...writes.values()].reduce((a, b) => a + b, 0);

    const drift0 = Date.now();
    await kubectl('-n', 'istio-system', 'delete', 'deployment', 'istiod', '--wait=false');
    await kubectl('-n', 'istio-system', 'wait', '--for=create', 'deployment/istiod', '--timeout=60s');
    const recreatedMs = Date.now() - drift0;
    await kubectl('-n', 'istio-system', 'wait', '--for=condition=Available', 'deployment/istiod', '--timeout=60s');
    const availableMs = Date.now() - drift0;
    const mem = memoryMb(op.pid);
    return {
      title: 'operator: OSSM ambient procedure (Istio, IstioCNI, ZTunnel applied at once)',
      rows: [
        `process start → /readyz                       ${startMs} ms`,
        `apply 3 CRs → all Ready                       ${readyMs} ms   (Sail 1.30.3 on the same harness: 725 ms)`,
        `operator API writes until Ready               ${totalWrites}   (Sail: 83)  ${[...writes].map(([k, v]) => `${k}=${v}`).join(' ')}`,
        `reconciles until Ready                        ${reconciles.join(', ')}   (Sail: istio 5, istiocni 4, istiorevision 3, ztunnel 5)`,
        `istiod Deployment deleted → recreated         ${recreatedMs} ms, Available ${availableMs} ms   (Sail: 440 / 502 ms)`,
        `operator RSS idle / after Ready / peak        ${idle.rss.toFixed(0)} / ${mem.rss.toFixed(0)} / ${mem.peak.toFixed(0)} MB   (Sail: 101 / 121 / 131 MiB)`,
      ],
    };
  } finally {
    await stopCluster(state);
    await rm(runDir, { recursive: true, force: true });
  }
}
