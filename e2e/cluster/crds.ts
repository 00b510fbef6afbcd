// The CRDs every local cluster gets before its controllers start: the pinned Gateway API (waypoints are Gateway API
// objects, and users install them themselves) and Ambit's own from crds/.
import { execa } from 'execa';
import { clusterEnv } from './environment.ts';
import { installGatewayApi } from './gateway-api.ts';
import type { ClusterState } from './state.ts';

export async function installCrds(state: ClusterState): Promise<void> {
  await installGatewayApi(state);
  await execa('kubectl', ['apply', '-f', 'crds/'], { env: clusterEnv(state) });
}
