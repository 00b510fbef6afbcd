// The operator as a local process against a test cluster, started the way a user runs it (`ambit operator`), with
// its probes and metrics on free loopback ports.
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { startProcess, waitForHttpOk } from '../cluster/processes.ts';
import { ambitProgram } from './program.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';

export interface OperatorProcess {
  pid: number;
  probePort: number;
  metricsPort: number;
  logFile: string;
}

/** Another operator than the run's shared one: its own name (process and log) and identity (kubeconfig). */
export interface OperatorOptions {
  name?: string;
  kubeconfig?: string;
}

export async function startOperator(
  cluster: ClusterState,
  extraArgs: string[] = [],
  opts: OperatorOptions = {},
): Promise<OperatorProcess> {
  const name = opts.name ?? 'operator';
  const [probePort, metricsPort] = (await freeLoopbackPorts(2)) as [number, number];
  const logFile = `${cluster.runDir}/logs/${name}.log`;
  const p = startProcess(
    name,
    process.execPath,
    [
      ambitProgram(),
      'operator',
      `--kubeconfig=${opts.kubeconfig ?? cluster.kubeconfig}`,
      '--leader-elect=false',
      `--health-probe-bind-address=127.0.0.1:${probePort}`,
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      '--platform=kubernetes',
      ...extraArgs,
    ],
    logFile,
    { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'debug' },
  );
  const op = { pid: p.pid, probePort, metricsPort, logFile };
  // Recorded with the cluster's processes, so stopping (or reaping) the cluster stops the operator first.
  cluster.processes.push({ name, pid: p.pid, logFile, command: process.execPath });
  // Only the shared operator is the one later files find (runOperator).
  if (name === 'operator') cluster.operator = { probePort, metricsPort };
  await writeState(cluster);
  await waitForHttpOk(`http://127.0.0.1:${probePort}/readyz`, p);
  return op;
}

/** The operator the global setup started for this run. */
export function runOperator(cluster: ClusterState): OperatorProcess {
  const p = cluster.processes.find((x) => x.name === 'operator');
  if (!p || !cluster.operator) throw new Error('no operator was started for this cluster');
  return { pid: p.pid, logFile: p.logFile, ...cluster.operator };
}

/** The sum of a counter over the series whose labels match. */
export async function metricSum(
  op: OperatorProcess,
  name: string,
  labels: Record<string, string | RegExp> = {},
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${op.metricsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const series = new Map([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] ?? '', x[2] ?? '']));
    const match = Object.entries(labels).every(([k, v]) =>
      typeof v === 'string' ? series.get(k) === v : v.test(series.get(k) ?? ''),
    );
    if (match) sum += Number(m[3]);
  }
  return sum;
}
