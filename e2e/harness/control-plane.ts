// `ambit control-plane` as a local process beside the test cluster (the istiod pods are KWOK's and run nothing),
// for one revision, with the CA settings of the istiod Deployment the operator rendered; stopped with the cluster.
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { startProcess, stopProcess, waitForHttpOk } from '../cluster/processes.ts';
import { ambitProgram } from './program.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';
import { execa } from 'execa';
import { clusterEnv } from '../cluster/environment.ts';

export interface ControlPlaneProcess {
  pid: number;
  port: number;
  /** Plaintext xDS and CA on 127.0.0.1. */
  xdsPort: number;
  /** xDS and CA over TLS (the CA's own serving certificate) on 127.0.0.1: the cluster's 15012. */
  tlsPort: number;
  /** The name agents check on the TLS port (ISTIOD_SAN). */
  san: string;
  logFile: string;
  stop: () => Promise<void>;
}

export async function startControlPlane(
  cluster: ClusterState,
  namespace: string,
  revision: string,
  program = ambitProgram(),
  /** A stopped control plane whose ports to take over (a restart, as its clients reconnect to the same address). */
  replacing?: ControlPlaneProcess,
): Promise<ControlPlaneProcess> {
  const [port, xdsPort, tlsPort] = replacing
    ? [replacing.port, replacing.xdsPort, replacing.tlsPort]
    : ((await freeLoopbackPorts(3)) as [number, number, number]);
  const suffix = revision === 'default' ? '' : `-${revision}`;
  const env = await istiodEnv(cluster, namespace, `istiod${suffix}`);
  const logFile = `${cluster.runDir}/logs/control-plane-${namespace}${suffix}.log`;
  const p = startProcess(
    'control-plane',
    process.execPath,
    [
      program,
      'control-plane',
      `--kubeconfig=${cluster.kubeconfig}`,
      `--namespace=${namespace}`,
      `--revision=${revision}`,
      `--mesh-config-map=istio${suffix}`,
      `--values-config-map=values${suffix}`,
      `--http-address=127.0.0.1:${port}`,
      `--xds-address=127.0.0.1:${xdsPort}`,
      `--xds-tls-address=127.0.0.1:${tlsPort}`,
    ],
    logFile,
    { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'debug', ...env },
  );
  // Recorded with the cluster, so a killed run's control plane is stopped with it.
  cluster.processes.push({
    name: `control-plane-${namespace}${suffix}`,
    pid: p.pid,
    logFile,
    command: process.execPath,
  });
  await writeState(cluster);
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, p);
  return {
    pid: p.pid,
    port,
    xdsPort,
    tlsPort,
    san: `istiod${suffix}.${namespace}.svc`,
    logFile,
    stop: () => stopProcess(p.pid, 5_000),
  };
}

/**
 * The CA's settings from the rendered istiod Deployment's env (who may ask for others' certificates, TTLs); none
 * when no Istio resource rendered one (a bare control plane of the benchmarks).
 */
async function istiodEnv(
  cluster: ClusterState,
  namespace: string,
  deployment: string,
): Promise<Record<string, string>> {
  const args = ['-n', namespace, 'get', 'deployment', deployment, '--ignore-not-found', '-o', 'json'];
  const out = (await execa('kubectl', args, { env: clusterEnv(cluster) })).stdout;
  if (!out.trim()) return {};
  const d = JSON.parse(out) as {
    spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
  };
  const wanted = [
    ...['CA_TRUSTED_NODE_ACCOUNTS', 'DEFAULT_WORKLOAD_CERT_TTL', 'MAX_WORKLOAD_CERT_TTL'],
    ...['XDS_AUTH', 'XDS_AUTH_PLAINTEXT'],
  ];
  return Object.fromEntries(
    (d.spec.template.spec.containers[0]?.env ?? [])
      .filter((e) => wanted.includes(e.name) && e.value !== undefined)
      .map((e) => [e.name, e.value ?? '']),
  );
}
