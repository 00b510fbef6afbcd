// Warm start of the test cluster: launch → /readyz, launch → both nodes Ready, and the components' memory then.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, stopCluster } from '../cluster/cluster.ts';
import { summarize, type Report } from './report.ts';

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

export async function benchClusterStart(runs: number): Promise<Report> {
  const readyz: number[] = [];
  const nodesReady: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const runDir = await mkdtemp(join(tmpdir(), 'ambit-bench-'));
    const state = await startCluster({ runDir });
    try {
      readyz.push(state.timings.readyzMs ?? NaN);
      nodesReady.push(state.timings.nodesReadyMs ?? NaN);
      rss.push(state.processes.reduce((sum, p) => sum + rssMb(p.pid), 0));
    } finally {
      await stopCluster(state);
      await rm(runDir, { recursive: true, force: true });
    }
  }
  return {
    title: `cluster warm start (${runs} runs)`,
    rows: [
      summarize('launch → /readyz', readyz, 'ms'),
      summarize('launch → 2 nodes Ready', nodesReady, 'ms'),
      summarize('RSS of the 5 components at Ready', rss, 'MB'),
    ],
  };
}
