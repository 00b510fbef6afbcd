// Stepping the run's shared operator aside, for a file that runs an operator of its own (two would both reconcile:
// the shared one does not elect a leader), and bringing it back for the files after.
import { stopProcess } from '../cluster/processes.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';
import { startOperator } from './operator.ts';

/** Stops a process the harness recorded in the cluster state and forgets it, so nothing later looks for it. */
export async function stopRecorded(cluster: ClusterState, name: string): Promise<boolean> {
  const p = cluster.processes.find((x) => x.name === name);
  if (!p) return false;
  await stopProcess(p.pid, 10_000);
  cluster.processes = cluster.processes.filter((x) => x !== p);
  if (name === 'operator') delete cluster.operator;
  await writeState(cluster);
  return true;
}

/** Stops the shared operator; the returned function starts it again (a no-op when there was none). */
export async function pauseSharedOperator(cluster: ClusterState): Promise<() => Promise<void>> {
  const stopped = await stopRecorded(cluster, 'operator');
  let resumed = false;
  return async () => {
    if (!stopped || resumed) return;
    resumed = true;
    await startOperator(cluster);
  };
}
