// Istio's real pilot-agent (built from the pinned istio.io/istio module) as one waypoint pod's istio-proxy
// container, run as a local process: the Deployment Ambit rendered gives its arguments, environment and volumes
// (laid out in a working directory of its own, as the kubelet would), its identity comes from the control plane's
// CA with a service account token, and it runs upstream Envoy with Istio's bootstrap template. Needs a network
// namespace with only loopback (`make test`, scripts/isolated-network.sh): its ports bind every interface.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { load } from 'js-yaml';
import { resources } from '../../src/kube/resources.ts';
import { containerEnv, expand, layOutVolumes, type Container, type Pod } from '../agent/pod-spec.ts';
import { pilotAgentBinary, waypointBootstrapTemplate } from '../agent/istio-module.ts';
import { clusterEnv } from '../cluster/environment.ts';
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { isAlive, isOurs, logTail, startProcess, type StartedProcess } from '../cluster/processes.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';
import { envoyBinary } from '../envoy/envoy-binary.ts';
import { watchObject, watchUntil } from './wait.ts';

export interface WaypointAgentOptions {
  namespace: string;
  /** The waypoint Gateway whose Deployment this agent plays one pod of. */
  gateway: string;
  /** Which of its pods (default: the first by name). */
  pod?: string;
  /** The pod's IP for the mesh: a loopback address of its own (127.0.10.N), where its HBONE listener binds. */
  instanceIp: string;
  controlPlane: {
    /** `127.0.0.1:<port>`: xDS and the CA. */
    address: string;
    /** The name its serving certificate carries, e.g. `istiod-<rev>.<ns>.svc`. */
    san: string;
    /** xDS without TLS (`controlPlaneAuthPolicy: NONE`), for a control plane's plaintext port. */
    plaintext?: boolean;
  };
  /** pilot-agent's `--log_output_level` (default `default:info`) and Envoy's `--proxyLogLevel` (default warning). */
  logLevel?: string;
  proxyLogLevel?: string;
  /** More environment, applied last. */
  env?: Record<string, string>;
  /** Runs once the working directory is laid out, before the agent starts (e.g. to add ./etc/istio/config/mesh). */
  prepare?: (workDir: string) => Promise<void>;
}

export interface WaypointAgent {
  nodeId: string;
  pid: number;
  envoyPid: number;
  adminPort: number;
  statusPort: number;
  instanceIp: string;
  workDir: string;
  logFile: string;
  /** Resolves once the agent's /healthz/ready answers 200; throws with the end of its log after `timeoutMs`. */
  ready: (timeoutMs?: number) => Promise<void>;
  /** Envoy admin GET, as text. */
  admin: (path: string) => Promise<string>;
  /** Envoy's counters and gauges by name. */
  stats: () => Promise<Map<string, number>>;
  /** SIGTERM, then waits for the agent and Envoy to exit (it drains for 5 s); SIGKILL for both after 20 s. */
  stop: () => Promise<void>;
}

const waitMs = 60_000;
const stopMs = 20_000;

/** pilot-agent binds its status port (and Envoy 15021/15090) on every interface: only an isolated network keeps them in. */
export function assertIsolatedNetwork(): void {
  const names = Object.keys(networkInterfaces());
  if (names.length === 1 && names[0] === 'lo') return;
  throw new Error(
    `pilot-agent binds every interface, so it runs only in a network namespace with just loopback; this process ` +
      `sees ${names.join(', ')}. Run the tests through \`make test\`/\`make e2e\` or scripts/isolated-network.sh ` +
      '(a cluster reused with AMBIT_E2E_RUN_DIR lives outside that namespace and cannot run pilot-agent tests).',
  );
}

/** The process `parent` started from `binary`, once there is one. */
function childOf(parent: number, binary: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && isOurs(Number(entry), binary)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** A scheduled pod of the waypoint's Deployment (found by the Gateway's label, so a name override does not matter). */
async function waypointPod(opts: WaypointAgentOptions): Promise<Pod> {
  const gatewayLabel = `gateway.networking.k8s.io/gateway-name=${opts.gateway}`;
  const [deployment] = await watchUntil(
    resources.deployment,
    { namespace: opts.namespace, labelSelector: gatewayLabel },
    (ds) => ds.length > 0,
    waitMs,
  );
  const selector = (deployment!['spec'] as { selector: { matchLabels: Record<string, string> } }).selector;
  const scheduled = (pods: Pod[]) =>
    pods
      .filter((p) => p.spec.nodeName && !p.metadata['deletionTimestamp'] && (!opts.pod || p.metadata.name === opts.pod))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const pods = await watchUntil(
    resources.pod,
    {
      namespace: opts.namespace,
      labelSelector: Object.entries(selector.matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
    (ps) => scheduled(ps as unknown as Pod[]).length > 0,
    waitMs,
  );
  return scheduled(pods as unknown as Pod[])[0]!;
}

export async function startWaypointAgent(cluster: ClusterState, opts: WaypointAgentOptions): Promise<WaypointAgent> {
  assertIsolatedNetwork();
  if (!opts.instanceIp.startsWith('127.')) throw new Error(`instanceIp ${opts.instanceIp} is not a loopback address`);
  const [binary, envoy, template] = await Promise.all([
    pilotAgentBinary(),
    Promise.resolve(envoyBinary()),
    waypointBootstrapTemplate(),
  ]);
  const pod = await waypointPod(opts);
  const container = (pod.spec['containers'] as Container[]).find((c) => c.name === 'istio-proxy');
  if (!container) throw new Error(`pod ${opts.namespace}/${pod.metadata.name} has no istio-proxy container`);
  const kubectl = (args: string[]) => execa('kubectl', args, { env: clusterEnv(cluster) });

  // The working directory plays the container's file system: its volumes and the image's bootstrap template.
  const workDir = `${cluster.runDir}/agent-${opts.instanceIp}`;
  await rm(workDir, { recursive: true, force: true });
  const templateFile = `${workDir}/var/lib/istio/envoy/envoy_bootstrap_tmpl.json`;
  await mkdir(`${workDir}/var/lib/istio/envoy`, { recursive: true });
  await writeFile(templateFile, template);
  const rootVolume = ((pod.spec['volumes'] ?? []) as { name: string; configMap?: { name: string } }[]).find(
    (v) => v.name === 'istiod-ca-cert',
  );
  const rootConfigMap = rootVolume?.configMap?.name ?? 'istio-ca-root-cert';
  await watchObject(
    resources.configMap,
    rootConfigMap,
    opts.namespace,
    (o) => typeof (o?.['data'] as Record<string, string> | undefined)?.['root-cert.pem'] === 'string',
    waitMs,
  ).catch((err: unknown) => {
    throw new Error(
      `ConfigMap ${opts.namespace}/${rootConfigMap} with root-cert.pem did not appear (the control plane publishes it)`,
      { cause: err },
    );
  });
  const serviceAccount = pod.spec.serviceAccountName ?? 'default';
  await layOutVolumes(workDir, pod, container, {
    // As a projected token: bound to the pod, for the audience the volume names.
    token: async (audience) => {
      const { stdout } = await kubectl([
        ...['create', 'token', serviceAccount, '-n', opts.namespace, ...(audience ? ['--audience', audience] : [])],
        ...['--duration', '1h', '--bound-object-kind', 'Pod', '--bound-object-name', pod.metadata.name],
        ...['--bound-object-uid', pod.metadata.uid],
      ]);
      return stdout.trim();
    },
    configMap: async (name) => {
      const { stdout } = await kubectl(['get', 'configmap', name, '-n', opts.namespace, '-o', 'json']);
      return (JSON.parse(stdout) as { data?: Record<string, string> }).data ?? {};
    },
  });

  const [adminPort, statusPort, envoyStatusPort, prometheusPort] = (await freeLoopbackPorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const podEnv = containerEnv(pod, container);
  const proxyConfig = {
    ...((load(podEnv['PROXY_CONFIG'] ?? '{}') ?? {}) as Record<string, unknown>),
    discoveryAddress: opts.controlPlane.address,
    binaryPath: envoy,
    proxyAdminPort: adminPort,
    statusPort,
    proxyBootstrapTemplatePath: templateFile,
    // One worker thread (the agent warns that the --concurrency flag is legacy).
    concurrency: 1,
    ...(opts.controlPlane.plaintext ? { controlPlaneAuthPolicy: 'NONE' } : {}),
  };
  // The rendered CA_ADDR names the control plane's Service; without it the agent asks the discovery address, and
  // only then checks the CA's certificate for ISTIOD_SAN rather than for the address's host (127.0.0.1).
  const { CA_ADDR: _clusterCaAddress, ...podEnvWithoutCa } = podEnv;
  const env: Record<string, string> = {
    ...podEnvWithoutCa,
    INSTANCE_IP: opts.instanceIp,
    ISTIOD_SAN: opts.controlPlane.san,
    PROXY_CONFIG: JSON.stringify(proxyConfig),
    ENVOY_STATUS_PORT: String(envoyStatusPort),
    ENVOY_PROMETHEUS_PORT: String(prometheusPort),
    // No probing of cloud metadata servers (they are not on loopback).
    CLOUD_PLATFORM: 'none',
    PATH: process.env['PATH'] ?? '',
    ...opts.env,
  };
  // The Deployment's arguments as the kubelet expands them; the flags after them win.
  const args = [
    ...(container.args ?? []).map((a) => expand(a, env)),
    ...['--templateFile', templateFile],
    ...['--proxyLogLevel', opts.proxyLogLevel ?? 'warning', '--log_output_level', opts.logLevel ?? 'default:info'],
  ];
  const domainAt = args.indexOf('--domain');
  const domain = domainAt >= 0 ? (args[domainAt + 1] ?? '') : `${opts.namespace}.svc.cluster.local`;
  const nodeId = `waypoint~${opts.instanceIp}~${pod.metadata.name}.${opts.namespace}~${domain}`;

  await opts.prepare?.(workDir);
  const name = `pilot-agent-${opts.namespace}-${pod.metadata.name}`;
  const logFile = `${cluster.runDir}/logs/${name}.log`;
  // In the working directory: the agent reads and writes relative paths, and Envoy inherits it.
  const p = startProcess(name, binary, args, logFile, env, workDir);
  cluster.processes.push({ name, pid: p.pid, logFile, command: binary });
  await writeState(cluster);
  // Envoy is recorded too, after the agent: a reaper stops it first, and a SIGKILLed agent leaves no orphan.
  const envoyPid = await envoyChild(p, envoy);
  cluster.processes.push({ name: `${name}-envoy`, pid: envoyPid, logFile, command: envoy });
  await writeState(cluster);

  const adminUrl = `http://127.0.0.1:${String(adminPort)}`;
  const admin = async (path: string) => (await fetch(`${adminUrl}${path}`)).text();
  return {
    nodeId,
    pid: p.pid,
    envoyPid,
    adminPort,
    statusPort,
    instanceIp: opts.instanceIp,
    workDir,
    logFile,
    ready: (timeoutMs = 30_000) => untilReady(p, `http://127.0.0.1:${String(statusPort)}/healthz/ready`, timeoutMs),
    admin,
    stats: async () =>
      new Map(
        (await admin('/stats'))
          .split('\n')
          .map((l) => l.split(': '))
          .filter((kv): kv is [string, string] => kv.length === 2 && Number.isFinite(Number(kv[1])))
          .map(([k, v]) => [k, Number(v)]),
      ),
    stop: () => stopAgent(p.pid, envoyPid, envoy),
  };
}

async function envoyChild(agent: StartedProcess, envoy: string): Promise<number> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (agent.exited()) throw new Error(`${agent.name} exited before starting Envoy:\n${logTail(agent.logFile, 30)}`);
    const pid = childOf(agent.pid, envoy);
    if (pid !== undefined) return pid;
    await delay(50);
  }
  throw new Error(`${agent.name} started no Envoy within ${waitMs / 1000} s:\n${logTail(agent.logFile, 30)}`);
}

async function untilReady(agent: StartedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (agent.exited()) throw new Error(`${agent.name} exited:\n${logTail(agent.logFile, 30)}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      (err: unknown) => (err as Error).message,
    );
    if (status === 200) return;
    last = String(status);
    await delay(100);
  }
  throw new Error(`${agent.name} not ready within ${timeoutMs} ms (last: ${last}):\n${logTail(agent.logFile, 30)}`);
}

/** Never SIGKILLs the agent first: it stops Envoy itself after draining, and a killed agent would orphan Envoy. */
async function stopAgent(agentPid: number, envoyPid: number, envoy: string): Promise<void> {
  // Envoy counts as gone once it is a zombie (no command line): the agent aborts it without always reaping it.
  const envoyUp = () => isOurs(envoyPid, envoy);
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // exited meanwhile
    }
  };
  signal(agentPid, 'SIGTERM');
  const deadline = Date.now() + stopMs;
  while ((isAlive(agentPid) || envoyUp()) && Date.now() < deadline) await delay(50);
  if (isAlive(agentPid)) signal(agentPid, 'SIGKILL');
  if (envoyUp()) signal(envoyPid, 'SIGKILL');
  while (isAlive(agentPid) || envoyUp()) await delay(20);
}
