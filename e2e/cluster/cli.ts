// `make cluster-up` / `cluster-down` / `cluster-status`: a test cluster that outlives this command, in one run folder.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startCluster, stopClusterAt } from './cluster.ts';
import { installGatewayApi } from './gateway-api.ts';
import { isAlive } from './processes.ts';
import { readState, stateFile } from './state.ts';

const runDir = resolve(process.env['AMBIT_RUN_DIR'] ?? '.run/cluster');
const usage = 'usage: node e2e/cluster/cli.ts up|down|status   (run folder: $AMBIT_RUN_DIR, default .run/cluster)';

async function running(): Promise<boolean> {
  if (!existsSync(stateFile(runDir))) return false;
  const state = await readState(runDir);
  return state.timings.nodesReadyMs !== undefined && state.processes.every((p) => isAlive(p.pid));
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      if (await running()) {
        console.log(`cluster already running; use it with: source ${runDir}/env.sh`);
        return 0;
      }
      await stopClusterAt(runDir);
      await rm(runDir, { recursive: true, force: true, maxRetries: 5 });
      await mkdir(runDir, { recursive: true });
      const state = await startCluster({
        runDir,
        ownerPid: null,
        log: (l) => console.log(l),
        beforeControllers: installGatewayApi,
      });
      console.log('Gateway API CRDs installed');
      console.log(
        `cluster up; logs in ${runDir}/logs/\nuse it with: source ${runDir}/env.sh   (KUBECONFIG=${state.kubeconfig})`,
      );
      return 0;
    }
    case 'down':
      console.log((await stopClusterAt(runDir)) ? `cluster in ${runDir} stopped` : `no cluster in ${runDir}`);
      return 0;
    case 'status': {
      const up = await running();
      console.log(up ? `running: source ${runDir}/env.sh` : `not running (${runDir})`);
      return up ? 0 : 1;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`error: ${(err as Error).message}`);
    process.exit(1);
  },
);
