// A fresh cluster for one benchmark, set up as a user's: the CRDs, the operator, the sample Istio (ambient, in
// istio-system) Ready, and `ambit control-plane` for it as a local process; `stop` removes it all.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { startCluster, stopCluster } from '../cluster/cluster.ts';
import { installCrds } from '../cluster/crds.ts';
import { clusterEnv } from '../cluster/environment.ts';
import type { ClusterState } from '../cluster/state.ts';
import { startControlPlane, type ControlPlaneProcess } from '../harness/control-plane.ts';
import { startOperator } from '../harness/operator.ts';
import { ApiClient } from '../../src/kube/api-client.ts';
import { KubeClient } from '../../src/kube/client.ts';

export interface BenchMesh {
  state: ClusterState;
  api: ApiClient;
  client: KubeClient;
  kubectl: (args: string[], input?: string) => Promise<{ stdout: string }>;
  controlPlane: ControlPlaneProcess;
  stop: () => Promise<void>;
}

export async function startBenchMesh(): Promise<BenchMesh> {
  const runDir = await mkdtemp(join(tmpdir(), 'ambit-bench-'));
  const state = await startCluster({ runDir, beforeControllers: installCrds });
  const stop = async () => {
    await stopCluster(state);
    await rm(runDir, { recursive: true, force: true });
  };
  const env = clusterEnv(state);
  const kubectl = (args: string[], input?: string) =>
    execa('kubectl', args, { env, ...(input === undefined ? {} : { input }) });
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfig);
  const api = new ApiClient(kc, 'ambit-bench/0');
  try {
    await startOperator(state);
    await kubectl(['create', 'namespace', 'istio-system']);
    await kubectl(['apply', '-f', 'config/samples/istio.yaml']);
    await kubectl(['wait', '--for=condition=Ready', 'istio/default', '--timeout=120s']);
    const controlPlane = await startControlPlane(state, 'istio-system', 'default');
    return { state, api, client: new KubeClient(api), kubectl, controlPlane, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
