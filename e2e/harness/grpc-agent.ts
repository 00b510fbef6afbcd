// Istio's pilot-agent as the agent of a proxyless gRPC pod (the injector's grpc-agent template: DISABLE_ENVOY, a
// generated gRPC bootstrap), run as a local process in a working directory laid out as its container's volumes. It
// proxies the gRPC client's xDS stream from a Unix socket to the control plane over TLS with the pod's service
// account token — how a proxyless client authenticates, since gRPC's own bootstrap has no call credentials.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { pilotAgentBinary } from '../agent/istio-module.ts';
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { logTail, startProcess, stopProcess } from '../cluster/processes.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';
import { meshRootCert, serviceAccountToken } from './ca-client.ts';
import { assertIsolatedNetwork } from './pilot-agent.ts';

export interface GrpcAgentOptions {
  namespace: string;
  /** The pod this agent plays, and its service account. */
  pod: string;
  serviceAccount: string;
  controlPlane: {
    /** `127.0.0.1:<port>` of the control plane's TLS port (15012). */
    address: string;
    /** The name its serving certificate carries (ISTIOD_SAN). */
    san: string;
  };
}

export interface GrpcAgent {
  /** The gRPC bootstrap the agent generated, its server the agent's socket (as an absolute path). */
  bootstrap: Record<string, unknown>;
  logFile: string;
  stop: () => Promise<void>;
}

const waitMs = 30_000;

export async function startGrpcAgent(cluster: ClusterState, opts: GrpcAgentOptions): Promise<GrpcAgent> {
  assertIsolatedNetwork();
  const binary = await pilotAgentBinary();
  const workDir = `${cluster.runDir}/grpc-agent-${opts.namespace}-${opts.pod}`;
  await rm(workDir, { recursive: true, force: true });
  for (const dir of ['var/run/secrets/tokens', 'var/run/secrets/istio', 'etc/istio/proxy', 'var/lib/istio/data'])
    await mkdir(`${workDir}/${dir}`, { recursive: true });
  const token = await serviceAccountToken(opts.namespace, opts.serviceAccount);
  await writeFile(`${workDir}/var/run/secrets/tokens/istio-token`, token);
  await writeFile(`${workDir}/var/run/secrets/istio/root-cert.pem`, await meshRootCert(opts.namespace));

  const [statusPort, envoyStatusPort, prometheusPort] = (await freeLoopbackPorts(3)) as [number, number, number];
  const env: Record<string, string> = {
    POD_NAME: opts.pod,
    POD_NAMESPACE: opts.namespace,
    INSTANCE_IP: '127.0.0.1',
    SERVICE_ACCOUNT: opts.serviceAccount,
    ISTIOD_SAN: opts.controlPlane.san,
    PROXY_CONFIG: JSON.stringify({ discoveryAddress: opts.controlPlane.address, statusPort }),
    ISTIO_META_CLUSTER_ID: 'Kubernetes',
    // The grpc-agent template's: no Envoy, no DNS capture, a gRPC bootstrap where the client reads it.
    DISABLE_ENVOY: 'true',
    ISTIO_META_DNS_CAPTURE: 'false',
    GRPC_XDS_BOOTSTRAP: './etc/istio/proxy/grpc-bootstrap.json',
    ENVOY_STATUS_PORT: String(envoyStatusPort),
    ENVOY_PROMETHEUS_PORT: String(prometheusPort),
    CLOUD_PLATFORM: 'none',
    PATH: process.env['PATH'] ?? '',
  };
  const args = ['proxy', 'sidecar', '--domain', `${opts.namespace}.svc.cluster.local`];
  const name = `grpc-agent-${opts.namespace}-${opts.pod}`;
  const logFile = `${cluster.runDir}/logs/${name}.log`;
  const p = startProcess(name, binary, [...args, '--log_output_level', 'default:info'], logFile, env, workDir);
  cluster.processes.push({ name, pid: p.pid, logFile, command: binary });
  await writeState(cluster);

  const bootstrapFile = `${workDir}/etc/istio/proxy/grpc-bootstrap.json`;
  const socket = `${workDir}/etc/istio/proxy/XDS`;
  const deadline = Date.now() + waitMs;
  while (!(existsSync(bootstrapFile) && existsSync(socket))) {
    if (p.exited()) throw new Error(`${name} exited:\n${logTail(logFile, 30)}`);
    if (Date.now() > deadline)
      throw new Error(
        `${name} wrote no gRPC bootstrap and socket in ${String(waitMs / 1000)} s:\n${logTail(logFile, 30)}`,
      );
    await delay(50);
  }
  const bootstrap = JSON.parse(readFileSync(bootstrapFile, 'utf8')) as Record<string, unknown>;
  // The agent names its socket relative to its working directory (unix:///./etc/istio/proxy/XDS).
  const servers = (bootstrap['xds_servers'] as Record<string, unknown>[]).map((s) => ({
    ...s,
    server_uri: `unix:${socket}`,
  }));
  return {
    bootstrap: { ...bootstrap, xds_servers: servers },
    logFile,
    stop: () => stopProcess(p.pid, 10_000),
  };
}
