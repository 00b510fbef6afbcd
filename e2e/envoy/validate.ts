// Upstream Envoy's own verdict on a waypoint's configuration, without running it: `envoy --mode validate` over a
// bootstrap that holds the waypoint's listeners and clusters statically, each route configuration in a listener of
// its own and each endpoint assignment in a static cluster (the dynamic sources ADS and SDS are declared, not dialled).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { envoyBinary } from './envoy-binary.ts';

type Json = Record<string, unknown>;

export interface WaypointConfig {
  listeners: Json[];
  clusters: Json[];
  routes: Json[];
  endpoints: Json[];
}

const hcm = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

function bootstrap(config: WaypointConfig): Json {
  const routeListeners = config.routes.map((routeConfig, i) => ({
    name: `route-${String(i)}`,
    address: { socketAddress: { address: '127.0.0.1', portValue: 20_000 + i } },
    filterChains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typedConfig: {
              '@type': hcm,
              statPrefix: `route-${String(i)}`,
              routeConfig,
              httpFilters: [
                {
                  name: 'envoy.filters.http.router',
                  typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                },
              ],
            },
          },
        ],
      },
    ],
  }));
  const grpcCluster = (name: string) => ({
    name,
    type: 'STATIC',
    typedExtensionProtocolOptions: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicitHttpConfig: { http2ProtocolOptions: {} },
      },
    },
    loadAssignment: {
      clusterName: name,
      endpoints: [
        { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: 15010 } } } }] },
      ],
    },
  });
  return {
    node: { id: 'waypoint~127.0.0.1~waypoint-5d8f7c9b4-x2x7q.default~default.svc.cluster.local', cluster: 'waypoint' },
    bootstrapExtensions: [
      {
        name: 'envoy.bootstrap.internal_listener',
        typedConfig: {
          '@type': 'type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener',
        },
      },
    ],
    dynamicResources: {
      adsConfig: {
        apiType: 'GRPC',
        transportApiVersion: 'V3',
        grpcServices: [{ envoyGrpc: { clusterName: 'xds-grpc' } }],
      },
    },
    staticResources: {
      listeners: [...config.listeners, ...routeListeners],
      clusters: [
        ...config.clusters,
        ...config.endpoints.map((loadAssignment, i) => ({ name: `eds-${String(i)}`, type: 'STATIC', loadAssignment })),
        grpcCluster('xds-grpc'),
        grpcCluster('sds-grpc'),
      ],
    },
  };
}

/** Envoy's complaint about the configuration, or undefined when it loads. */
export async function envoyRejects(config: WaypointConfig): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'ambit-envoy-validate-'));
  try {
    const file = join(dir, 'bootstrap.json');
    writeFileSync(file, JSON.stringify(bootstrap(config)));
    await promisify(execFile)(envoyBinary(), ['--mode', 'validate', '-c', file, '-l', 'error'], { timeout: 60_000 });
    return undefined;
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    return `${stderr ?? ''}${stdout ?? ''}`.trim().split('\n').slice(-3).join('\n') || (err as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
