// Resource names and ports a waypoint's Envoy and ztunnel agree on (istiod's names, so dashboards and
// `istioctl proxy-config` read the same), and the names of the Envoy extensions used.
import type { PortProtocol } from '../model/model.ts';

export const HBONE_PORT = 15008;

export const CONNECT_TERMINATE = 'connect_terminate';
export const MAIN_INTERNAL = 'main_internal';
export const CONNECT_ORIGINATE = 'connect_originate';
export const ENCAP = 'encap';

/** pilot-agent's SDS cluster (a UDS) in the waypoint bootstrap. */
export const SDS_CLUSTER = 'sds-grpc';
export const IDENTITY_SECRET = 'default';
export const ROOT_CA_SECRET = 'ROOTCA';

/** Filter state the HBONE terminator fills in for main_internal (see connect-state.ts). */
export const PEER_PRINCIPAL_STATE = 'io.istio.peer_principal';
/** The metadata namespace the original_dst listener filter reads an internal connection's destination from. */
export const ORIGINAL_DST_METADATA = 'envoy.filters.listener.original_dst';

export const filters = {
  hcm: 'envoy.filters.network.http_connection_manager',
  tcpProxy: 'envoy.filters.network.tcp_proxy',
  networkRbac: 'envoy.filters.network.rbac',
  httpRbac: 'envoy.filters.http.rbac',
  fault: 'envoy.filters.http.fault',
  cors: 'envoy.filters.http.cors',
  router: 'envoy.filters.http.router',
  setFilterState: 'envoy.filters.http.set_filter_state',
  originalDst: 'envoy.filters.listener.original_dst',
  httpInspector: 'envoy.filters.listener.http_inspector',
} as const;

export type ChainKind = 'http' | 'tcp';

/** The chain kinds a port gets: an HCM for HTTP-family ports, a TCP proxy otherwise, both when unknown. */
export function chainKinds(protocol: PortProtocol): ChainKind[] {
  switch (protocol) {
    case 'http':
    case 'http2':
    case 'grpc':
      return ['http'];
    case 'tcp':
    case 'tls':
      return ['tcp'];
    case 'unknown':
      return ['http', 'tcp'];
  }
}

/** `inbound-vip|<port>|<http|tcp>|<host>`: a bound Service port's chain, route config and cluster. */
export const inboundName = (port: number, kind: ChainKind, host: string): string =>
  `inbound-vip|${port}|${kind}|${host}`;

/** `outbound|<port>||<host>`: a route backend this waypoint does not serve. */
export const outboundName = (port: number, host: string): string => `outbound|${port}||${host}`;
