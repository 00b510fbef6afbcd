// Upstream istiod (pilot-discovery, built from the pinned istio.io/istio module by e2e/agent/build-istio.sh) as a
// local process against the test cluster: the tests' oracle, never shipped. Its mesh, injector and values ConfigMaps
// are rendered at test time from the module's own chart (ambient profile) with the cluster's helm and applied in a
// namespace of its own; it runs under a revision of its own and discovers only the namespaces labelled for it, so it
// never acts on another test's objects. Every listener binds 127.0.0.1; webhook patching is off.
import { mkdir, rm } from 'node:fs/promises';
import { dump, loadAll } from 'js-yaml';
import { goModuleDir } from '../cluster/upstream-apis.ts';
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { logTail, startProcess, stopProcess, waitForHttpOk } from '../cluster/processes.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';
import { pilotDiscoveryBinary } from '../agent/istio-module.ts';
import { helm, kubectl } from './cluster.ts';

/** The label istiod's discoverySelectors select: a namespace labelled `<label>=<revision>` is in its mesh. */
export const oracleLabel = 'ambit.io/e2e-oracle';

export interface Istiod {
  namespace: string;
  revision: string;
  /** Plaintext xDS (istiod's 15010: it authenticates TLS callers only, as upstream does by default). */
  xdsPort: number;
  /** istiod's 8080: /ready, /debug/*. */
  httpPort: number;
  logFile: string;
  stop: () => Promise<void>;
}

const chartPath = 'manifests/charts/istio-control/istio-discovery';
const moduleDir = new URL('../agent/go/', import.meta.url).pathname;

/**
 * The three ConfigMaps istiod reads (mesh, injector with the waypoint template, values), as the module's chart renders
 * them for the ambient profile and a revision; its discoverySelectors select namespaces labelled `<oracleLabel>=<revision>`.
 */
async function chartConfigMaps(namespace: string, revision: string): Promise<object[]> {
  const chart = `${await goModuleDir(moduleDir, 'istio.io/istio')}/${chartPath}`;
  const { stdout } = await helm([
    ...['template', 'istiod', chart, '-n', namespace],
    ...['--set', 'profile=ambient', '--set', `revision=${revision}`, '--set', 'global.hub=docker.io/istio'],
    ...['--set', `meshConfig.discoverySelectors[0].matchLabels.${oracleLabel.replace(/\./g, '\\.')}=${revision}`],
  ]);
  const wanted = new Set([`istio-${revision}`, `istio-sidecar-injector-${revision}`, `values-${revision}`]);
  return (loadAll(String(stdout)) as ({ kind?: string; metadata?: { name?: string } } | null)[]).filter(
    (d): d is object => d?.kind === 'ConfigMap' && wanted.has(d.metadata?.name ?? ''),
  );
}

/** Creates the chart's three ConfigMaps in `namespace` (which must exist), for `revision`. */
export async function applyChartConfigMaps(namespace: string, revision: string): Promise<void> {
  const maps = await chartConfigMaps(namespace, revision);
  if (maps.length !== 3) throw new Error(`the istiod chart rendered ${String(maps.length)} of its 3 ConfigMaps`);
  await kubectl(['apply', '-n', namespace, '-f', '-'], { input: maps.map((m) => dump(m)).join('---\n') });
}

export async function startIstiod(cluster: ClusterState, namespace: string, revision: string): Promise<Istiod> {
  const binary = await pilotDiscoveryBinary();
  await kubectl(['create', 'namespace', namespace]);
  await applyChartConfigMaps(namespace, revision);

  // An empty working directory: istiod prefers ./etc/istio/config/mesh and ./var/lib/istio/inject to its ConfigMaps.
  const workDir = `${cluster.runDir}/istiod-${namespace}`;
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const [grpc = 0, http = 0, https = 0, monitoring = 0, secureGrpc = 0, ctrlz = 0] = await freeLoopbackPorts(6);
  const env = {
    PATH: process.env['PATH'] ?? '',
    KUBECONFIG: cluster.kubeconfig,
    PILOT_ENABLE_AMBIENT: 'true',
    REVISION: revision,
    POD_NAMESPACE: namespace,
    POD_NAME: `istiod-${revision}-local`,
    SERVICE_ACCOUNT: `istiod-${revision}`,
    CLUSTER_ID: 'Kubernetes',
    PILOT_CERT_PROVIDER: 'istiod',
    CA_TRUSTED_NODE_ACCOUNTS: `${namespace}/ztunnel`,
    PILOT_ENABLE_ANALYSIS: 'false',
    GOMAXPROCS: '2',
    // Empty: do not patch webhook configurations.
    INJECTION_WEBHOOK_CONFIG_NAME: '',
    VALIDATION_WEBHOOK_CONFIG_NAME: '',
  };
  const args = [
    'discovery',
    `--kubeconfig=${cluster.kubeconfig}`,
    `--grpcAddr=127.0.0.1:${String(grpc)}`,
    `--httpAddr=127.0.0.1:${String(http)}`,
    `--httpsAddr=127.0.0.1:${String(https)}`,
    `--monitoringAddr=127.0.0.1:${String(monitoring)}`,
    `--secureGRPCAddr=127.0.0.1:${String(secureGrpc)}`,
    '--ctrlz_address=127.0.0.1',
    `--ctrlz_port=${String(ctrlz)}`,
    '--log_output_level=default:info',
    '--domain=cluster.local',
  ];
  const name = `istiod-${namespace}`;
  const logFile = `${cluster.runDir}/logs/${name}.log`;
  const p = startProcess(name, binary, args, logFile, env, workDir);
  cluster.processes.push({ name, pid: p.pid, logFile, command: binary });
  await writeState(cluster);
  try {
    await waitForHttpOk(`http://127.0.0.1:${String(http)}/ready`, p);
  } catch (err) {
    throw new Error(`istiod did not become ready:\n${logTail(logFile, 30)}`, { cause: err });
  }
  return {
    namespace,
    revision,
    xdsPort: grpc,
    httpPort: http,
    logFile,
    stop: async () => {
      await stopProcess(p.pid, 10_000);
      await kubectl(['delete', 'namespace', namespace, '--wait=false']);
    },
  };
}
