// Stops the cluster this run started; its run folder (component logs) stays until the next run reaps it.
import { stopClusterAt } from '../cluster/cluster.ts';

export default async function globalTeardown(): Promise<void> {
  const runDir = process.env['AMBIT_E2E_RUN_DIR'];
  // Processes stop in reverse start order: the operator first, so the API server has no watches left to drain.
  if (runDir && process.env['AMBIT_E2E_STARTED_CLUSTER'] === '1') await stopClusterAt(runDir);
}
