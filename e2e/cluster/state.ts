// What a running test cluster is: written to <run>/cluster.json when it starts, so another process (cluster-down,
// the Jest teardown, a later run reaping leftovers) can find and stop it by the PIDs it started.
import { readFile, writeFile } from 'node:fs/promises';

export interface ClusterState {
  runDir: string;
  binDir: string;
  kubeconfig: string;
  apiserverUrl: string;
  caCert: string;
  adminToken: string;
  etcdDataDir: string;
  /** The process whose exit means the cluster is abandoned; null for a cluster started to outlive its launcher. */
  ownerPid: number | null;
  /** In start order; `command` is the executable, to tell our process from one that reused its PID. */
  processes: { name: string; pid: number; logFile: string; command: string }[];
  timings: { readyzMs?: number; nodesReadyMs?: number };
  /** Set by the e2e harness when it runs an operator against this cluster. */
  operator?: { probePort: number; metricsPort: number };
}

export const stateFile = (runDir: string) => `${runDir}/cluster.json`;

export async function writeState(state: ClusterState): Promise<void> {
  await writeFile(stateFile(state.runDir), JSON.stringify(state, null, 2) + '\n');
}

export async function readState(runDir: string): Promise<ClusterState> {
  return JSON.parse(await readFile(stateFile(runDir), 'utf8')) as ClusterState;
}
