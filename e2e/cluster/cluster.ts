// Starts and stops a real Kubernetes control plane on 127.0.0.1: etcd → kube-apiserver → (after /readyz)
// kube-controller-manager, kube-scheduler, kwok → two fake nodes Ready. Every component logs to <run>/logs/.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { dump } from 'js-yaml';
import { ensureBinaries } from './binaries.ts';
import {
  apiserverCommand,
  auditPolicy,
  controllerManagerCommand,
  etcdCommand,
  fakeNode,
  kwokCommand,
  schedulerCommand,
  type ClusterLayout,
  type ComponentCommand,
} from './component-args.ts';
import { clusterEnv, envScript } from './environment.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { createPki } from './pki.ts';
import { freeLoopbackPorts } from './ports.ts';
import { isAlive, isOurs, logTail, startProcess, stopProcess, type StartedProcess } from './processes.ts';
import { readState, stateFile, writeState, type ClusterState } from './state.ts';

export interface StartOptions {
  runDir: string;
  nodeCount?: number;
  /** Whose exit abandons the cluster (reaped by a later run); null keeps it running until `cluster-down`. */
  ownerPid?: number | null;
  log?: (line: string) => void;
  /**
   * Runs once the API server is ready, before the controller-manager starts: CRDs installed here are known to its
   * garbage collector from the start (it rediscovers kinds only every 30 s).
   */
  beforeControllers?: (state: ClusterState) => Promise<void>;
}

const readyTimeoutMs = 90_000;

export async function startCluster(opts: StartOptions): Promise<ClusterState> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const binDir = await ensureBinaries();
  const runDir = opts.runDir;
  for (const d of ['logs', 'flexvolume', 'kube-cache', 'helm']) await mkdir(`${runDir}/${d}`, { recursive: true });
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = (await freeLoopbackPorts(6)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const pki = await createPki(`${runDir}/pki`);
  const kubeconfig = `${runDir}/kubeconfig`;
  await writeFile(kubeconfig, await renderKubeconfig(pki, apiserver), { mode: 0o600 });
  await writeFile(`${runDir}/audit-policy.yaml`, auditPolicy);
  // etcd's data lives in memory when it can: it is thrown away with the run. The name is unique per run folder.
  const etcdDataDir = existsSync('/dev/shm')
    ? `/dev/shm/ambit-etcd-${runDir.replace(/[^A-Za-z0-9]+/g, '_')}`
    : `${runDir}/etcd`;
  const layout: ClusterLayout = {
    binDir,
    runDir,
    pkiDir: pki.dir,
    etcdDataDir,
    kubeconfig,
    ports: { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok },
  };
  const state: ClusterState = {
    runDir,
    binDir,
    kubeconfig,
    apiserverUrl: `https://127.0.0.1:${apiserver}`,
    caCert: pki.caCert,
    adminToken: pki.adminToken,
    etcdDataDir,
    ownerPid: opts.ownerPid === undefined ? process.pid : opts.ownerPid,
    processes: [],
    timings: {},
  };
  await writeFile(`${runDir}/env.sh`, envScript(state));
  const started: StartedProcess[] = [];
  const launch = async (cmd: ComponentCommand) => {
    const p = startProcess(cmd.name, cmd.binary, cmd.args, `${runDir}/logs/${cmd.name}.log`, {
      PATH: process.env['PATH'] ?? '',
    });
    started.push(p);
    state.processes.push({ name: p.name, pid: p.pid, logFile: p.logFile, command: cmd.binary });
    await writeState(state);
  };
  try {
    const launchedAt = Date.now();
    await launch(etcdCommand(layout));
    await launch(apiserverCommand(layout));
    await waitFor('kube-apiserver /readyz', started, () => readyz(state));
    state.timings.readyzMs = Date.now() - launchedAt;
    log(`kube-apiserver ready at ${state.apiserverUrl} after ${state.timings.readyzMs} ms`);
    await opts.beforeControllers?.(state);
    // The controller-manager gives up after 10 s without a healthy API server, so it starts only now.
    await launch(controllerManagerCommand(layout));
    await launch(schedulerCommand(layout));
    await launch(kwokCommand(layout));
    const kubectl = (args: string[], input?: string) =>
      execa('kubectl', args, { env: clusterEnv(state), ...(input === undefined ? {} : { input }) });
    await kubectl(['wait', '--for=create', 'namespace/default', '--timeout=30s']);
    const names = Array.from({ length: opts.nodeCount ?? 2 }, (_, i) => `kwok-node-${i}`);
    await kubectl(['apply', '-f', '-'], names.map((n) => dump(fakeNode(n))).join('---\n'));
    await waitFor('nodes Ready', started, async () => {
      await kubectl(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=30s']);
      return true;
    });
    state.timings.nodesReadyMs = Date.now() - launchedAt;
    await writeState(state);
    log(`${names.length} nodes Ready after ${state.timings.nodesReadyMs} ms (${Date.now() - t0} ms including set-up)`);
    return state;
  } catch (err) {
    await stopCluster(state);
    throw new Error(`${(err as Error).message}\ncomponent logs are in ${runDir}/logs/:\n${describeLogs(started)}`, {
      cause: err,
    });
  }
}

/** Stops the components in reverse start order and removes etcd's data; the run folder (logs) stays. */
export async function stopCluster(state: ClusterState): Promise<void> {
  for (const p of [...state.processes].reverse()) {
    if (isOurs(p.pid, p.command)) await stopProcess(p.pid, 5_000);
  }
  await rm(state.etcdDataDir, { recursive: true, force: true });
}

export async function stopClusterAt(runDir: string): Promise<boolean> {
  if (!existsSync(stateFile(runDir))) return false;
  await stopCluster(await readState(runDir));
  return true;
}

/** Stops clusters under `parentDir` whose owner process is gone (a test run that was killed), and deletes them. */
export async function reapAbandonedClusters(parentDir: string, prefix: string): Promise<number> {
  let reaped = 0;
  const entries = existsSync(parentDir) ? await readdir(parentDir) : [];
  for (const entry of entries.filter((e) => e.startsWith(prefix))) {
    const runDir = `${parentDir}/${entry}`;
    if (!existsSync(stateFile(runDir))) continue;
    const state = await readState(runDir);
    if (state.ownerPid === null || isAlive(state.ownerPid)) continue;
    await stopCluster(state);
    await rm(runDir, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}

async function waitFor(what: string, started: StartedProcess[], check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const dead = started.find((p) => p.exited() !== undefined);
    if (dead) {
      throw new Error(
        `${dead.name} exited (${JSON.stringify(dead.exited())}) while waiting for ${what}:\n${logTail(dead.logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await delay(100);
  }
  throw new Error(`timed out after ${readyTimeoutMs / 1000} s waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
}

function readyz(state: ClusterState): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${state.apiserverUrl}/readyz`,
      { ca: readFileSync(state.caCert), headers: { authorization: `Bearer ${state.adminToken}` }, timeout: 2_000 },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(res.statusCode === 200 && body === 'ok'));
      },
    );
    req.on('timeout', () => req.destroy(new Error('readyz request timed out')));
    req.on('error', reject);
    req.end();
  });
}

function describeLogs(started: StartedProcess[]): string {
  return started.map((p) => `--- ${p.logFile} (last lines)\n${logTail(p.logFile, 8)}`).join('\n');
}
