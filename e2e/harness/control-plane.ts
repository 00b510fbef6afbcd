// `ambit control-plane` as a local process beside the test cluster (the istiod pods are KWOK's and run nothing),
// for one revision; stopped with the cluster.
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { startProcess, stopProcess, waitForHttpOk } from '../cluster/processes.ts';
import { ambitProgram } from './program.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';

export interface ControlPlaneProcess {
  pid: number;
  port: number;
  /** Plaintext xDS on 127.0.0.1. */
  xdsPort: number;
  logFile: string;
  stop: () => Promise<void>;
}

export async function startControlPlane(
  cluster: ClusterState,
  namespace: string,
  revision: string,
  program = ambitProgram(),
): Promise<ControlPlaneProcess> {
  const [port, xdsPort] = (await freeLoopbackPorts(2)) as [number, number];
  const suffix = revision === 'default' ? '' : `-${revision}`;
  const logFile = `${cluster.runDir}/logs/control-plane-${namespace}${suffix}.log`;
  const p = startProcess(
    'control-plane',
    process.execPath,
    [
      program,
      'control-plane',
      `--kubeconfig=${cluster.kubeconfig}`,
      `--namespace=${namespace}`,
      `--revision=${revision}`,
      `--mesh-config-map=istio${suffix}`,
      `--values-config-map=values${suffix}`,
      `--http-address=127.0.0.1:${port}`,
      `--xds-address=127.0.0.1:${xdsPort}`,
    ],
    logFile,
    { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'debug' },
  );
  // Recorded with the cluster, so a killed run's control plane is stopped with it.
  cluster.processes.push({
    name: `control-plane-${namespace}${suffix}`,
    pid: p.pid,
    logFile,
    command: process.execPath,
  });
  await writeState(cluster);
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, p);
  return { pid: p.pid, port, xdsPort, logFile, stop: () => stopProcess(p.pid, 5_000) };
}
