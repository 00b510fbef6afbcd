// The control plane on a cluster that holds no Deployment at all, as a fresh cluster does before anything is
// installed: the API server answers its metadata-only list of Deployments with `"items": null`, which must read as
// an empty list, so the control plane is ready within seconds. The shared cluster always holds Deployments (every
// revision's istiod), so this file starts a second, bare one of its own for this one check.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { startCluster, stopCluster } from './cluster/cluster.ts';
import { installCrds } from './cluster/crds.ts';
import { clusterEnv } from './cluster/environment.ts';
import type { ClusterState } from './cluster/state.ts';
import { startControlPlane, type ControlPlaneProcess } from './harness/control-plane.ts';
import { runDirPrefix } from './harness/run-dir.ts';

let cluster: ClusterState;
let runDir = '';
let controlPlane: ControlPlaneProcess | undefined;

beforeAll(async () => {
  // The shared run's prefix: a killed run's bare cluster is reaped with the rest.
  runDir = await mkdtemp(join(tmpdir(), runDirPrefix));
  cluster = await startCluster({ runDir, beforeControllers: installCrds });
}, 120_000);

afterAll(async () => {
  await controlPlane?.stop();
  await stopCluster(cluster);
  await rm(runDir, { recursive: true, force: true });
});

test('a cluster without Deployments: the control plane is ready within seconds', async () => {
  const kubectl = (args: string[]) => execa('kubectl', args, { env: clusterEnv(cluster) });
  const deployments = JSON.parse((await kubectl(['get', 'deployments', '-A', '-o', 'json'])).stdout) as {
    items: unknown[];
  };
  expect(deployments.items).toEqual([]);
  await kubectl(['create', 'namespace', 'istio-system']);
  const started = Date.now();
  controlPlane = await startControlPlane(cluster, 'istio-system', 'default');
  const readyMs = Date.now() - started;
  expect(readyMs).toBeLessThan(10_000);
  process.stdout.write(`control plane ready on a cluster without Deployments in ${String(readyMs)} ms\n`);
});
