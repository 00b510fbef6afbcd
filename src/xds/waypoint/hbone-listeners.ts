// The two HBONE ends of a waypoint. connect_terminate accepts ztunnel's mTLS HTTP/2 CONNECT tunnels on :15008 and
// hands each tunnel's payload to the internal listener main_internal. connect_originate, an internal listener fed by
// the clusters' HBONE endpoints, opens a new tunnel to the destination's ztunnel.
import { connectStateFilter } from './connect-state.ts';
import { CONNECT_ORIGINATE, CONNECT_TERMINATE, filters, HBONE_PORT, MAIN_INTERNAL } from './names.ts';
import { any, duration, type Json } from './json.ts';
import { hboneServerTls } from './tls.ts';

export const HCM_TYPE = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const TCP_PROXY_TYPE = 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';

export const routerFilter = (): Json => ({
  name: filters.router,
  typedConfig: any('envoy.extensions.filters.http.router.v3.Router'),
});

export const originalDstFilter = (): Json => ({
  name: filters.originalDst,
  typedConfig: any('envoy.extensions.filters.listener.original_dst.v3.OriginalDst'),
});

export function connectTerminate(): Json {
  const connect = { upgradeType: 'CONNECT', connectConfig: {} };
  return {
    name: CONNECT_TERMINATE,
    address: { socketAddress: { address: '0.0.0.0', portValue: HBONE_PORT } },
    // Tunnels are long-lived and few: spread them over the workers evenly.
    connectionBalanceConfig: { exactBalance: {} },
    filterChains: [
      {
        name: 'default',
        transportSocket: hboneServerTls(),
        filters: [
          {
            name: filters.hcm,
            typedConfig: any(HCM_TYPE, {
              statPrefix: CONNECT_TERMINATE,
              codecType: 'HTTP2',
              routeConfig: {
                name: 'default',
                virtualHosts: [
                  {
                    name: 'default',
                    domains: ['*'],
                    routes: [
                      { match: { connectMatcher: {} }, route: { cluster: MAIN_INTERNAL, upgradeConfigs: [connect] } },
                    ],
                  },
                ],
              },
              httpFilters: [connectStateFilter(), routerFilter()],
              upgradeConfigs: [{ upgradeType: 'CONNECT' }],
              http2ProtocolOptions: {
                allowConnect: true,
                maxConcurrentStreams: 100,
                connectionKeepalive: { interval: duration(10_000), timeout: duration(20_000) },
              },
              // A tunnel idles as long as the connection inside it does.
              streamIdleTimeout: duration(0),
            }),
          },
        ],
      },
    ],
  };
}

export function connectOriginate(): Json {
  return {
    name: CONNECT_ORIGINATE,
    internalListener: {},
    // Restores the destination pod's address from the endpoint metadata the cluster passed through.
    listenerFilters: [originalDstFilter()],
    filterChains: [
      {
        name: CONNECT_ORIGINATE,
        filters: [
          {
            name: filters.tcpProxy,
            typedConfig: any(TCP_PROXY_TYPE, {
              statPrefix: CONNECT_ORIGINATE,
              cluster: CONNECT_ORIGINATE,
              tunnelingConfig: { hostname: '%DOWNSTREAM_LOCAL_ADDRESS%' },
            }),
          },
        ],
      },
    ],
  };
}
