// What e2e tests use to reach the shared cluster: its state, kubectl and helm bound to it, and per-test namespaces.
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { execa, type Options } from 'execa';
import { ApiClient } from '../../src/kube/api-client.ts';
import { clusterEnv } from '../cluster/environment.ts';
import { readState, type ClusterState } from '../cluster/state.ts';

let cached: Promise<ClusterState> | undefined;

export function testCluster(): Promise<ClusterState> {
  if (cached) return cached;
  const runDir = process.env['AMBIT_E2E_RUN_DIR'];
  if (!runDir) throw new Error('AMBIT_E2E_RUN_DIR is unset: run e2e tests through `make e2e` (Jest global setup)');
  cached = readState(runDir);
  return cached;
}

/** Points the helpers here at another cluster (a benchmark's own, started outside Jest). */
export function useCluster(state: ClusterState): void {
  cached = Promise.resolve(state);
}

async function run(tool: string, args: string[], opts: Options = {}) {
  const env = clusterEnv(await testCluster());
  return execa(tool, args, { env, timeout: 120_000, ...opts });
}

export const kubectl = (args: string[], opts: Options = {}) => run('kubectl', args, opts);
export const helm = (args: string[], opts: Options = {}) => run('helm', args, opts);

export async function kubectlJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const { stdout } = await kubectl([...args, '-o', 'json']);
  return JSON.parse(String(stdout)) as T;
}

/** A fresh namespace for one test; `prefix` says which. Deleted without waiting: the cluster is thrown away. */
export async function createNamespace(prefix: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kubectl(['create', 'namespace', name]);
  return {
    name,
    remove: async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false']);
    },
  };
}

/** Our own API client, bound to the shared cluster's admin kubeconfig. */
export async function testApiClient(userAgent = 'ambit-e2e/0'): Promise<ApiClient> {
  const kc = new KubeConfig();
  kc.loadFromFile((await testCluster()).kubeconfig);
  return new ApiClient(kc, userAgent);
}
