// One real cluster per e2e run, shared by every e2e file. A cluster left behind by a killed run is reaped first.
// Set AMBIT_E2E_RUN_DIR to the run folder of a running `make cluster-up` cluster to reuse it instead.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapAbandonedClusters, startCluster, stopCluster } from '../cluster/cluster.ts';
import { installCrds } from '../cluster/crds.ts';
import { startOperator } from './operator.ts';
import { runDirPrefix } from './run-dir.ts';

export default async function globalSetup(): Promise<void> {
  if (process.env['AMBIT_E2E_RUN_DIR']) return;
  const reaped = await reapAbandonedClusters(tmpdir(), runDirPrefix);
  if (reaped > 0) console.log(`\nreaped ${reaped} test cluster(s) left by earlier runs`);
  const runDir = await mkdtemp(join(tmpdir(), runDirPrefix));
  const state = await startCluster({
    runDir,
    ownerPid: process.pid,
    // Waypoints are Gateway API objects: every e2e run has their CRDs, as a user's cluster must, and ours.
    beforeControllers: installCrds,
    log: (l) => {
      console.log(`\n[cluster] ${l}`);
    },
  });
  try {
    // One operator for the whole run, as a user runs it; tests drive it through the API server only.
    const op = await startOperator(state);
    console.log(`\n[operator] pid ${op.pid}, metrics on 127.0.0.1:${op.metricsPort}, log ${op.logFile}`);
  } catch (err) {
    await stopCluster(state);
    throw err;
  }
  process.env['AMBIT_E2E_RUN_DIR'] = runDir;
  process.env['AMBIT_E2E_STARTED_CLUSTER'] = '1';
}
