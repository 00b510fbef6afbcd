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

export async function startOperator(cluster: ClusterState, extraArgs: string[] = []): Promise<OperatorProcess> {
  const [probePort, metricsPort] = (await freeLoopbackPorts(2)) as [number, number];
  const logFile = `${cluster.runDir}/logs/operator.log`;
  const p = startProcess(
    'operator',
    process.execPath,
    [
      ambitProgram(),
      'operator',
      `--kubeconfig=${cluster.kubeconfig}`,
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
  cluster.processes.push({ name: 'operator', pid: p.pid, logFile, command: process.execPath });
  cluster.operator = { probePort, metricsPort };
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
