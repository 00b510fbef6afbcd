// Installs the pinned Gateway API CRDs into a test cluster (users install them themselves; see README).
import { execa } from 'execa';
import { clusterEnv } from './environment.ts';
import type { ClusterState } from './state.ts';
import { gatewayApiCrdFiles } from './upstream-apis.ts';

export async function installGatewayApi(state: ClusterState): Promise<void> {
  const files = (await gatewayApiCrdFiles()).flatMap((f) => ['-f', f]);
  const env = clusterEnv(state);
  await execa('kubectl', ['apply', ...files], { env });
  const crds = files.filter((f) => f !== '-f' && !f.endsWith('vap_safeupgrades.yaml')).flatMap((f) => ['-f', f]);
  await execa('kubectl', ['wait', '--for=condition=Established', ...crds, '--timeout=60s'], { env });
}
