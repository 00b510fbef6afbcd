// CDS for a waypoint: the three fixed clusters of the HBONE plumbing, and one EDS cluster per Service port it sends
// to. Every service cluster's endpoints may be HBONE ones (internal addresses of connect_originate), so each passes
// the endpoint's original-destination metadata through to that internal listener. A ServiceEntry of resolution NONE
// has no endpoints to list: its clusters send to the address the client dialled (ORIGINAL_DST, as istiod's).
import type { ServicePort } from '../model/model.ts';
import { CONNECT_ORIGINATE, ENCAP, HBONE_PORT, MAIN_INTERNAL, ORIGINAL_DST_METADATA, type ChainKind } from './names.ts';
import { any, duration, type Json } from './json.ts';
import { hboneClientTls } from './tls.ts';

const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
/** The mesh's default connect timeout. */
const CONNECT_TIMEOUT_MS = 10_000;
/** The mesh's default HBONE idle timeout. */
const HBONE_IDLE_TIMEOUT_MS = 3_600_000;

function internalUpstream(passthrough: boolean): Json {
  return {
    name: 'envoy.transport_sockets.internal_upstream',
    typedConfig: any('envoy.extensions.transport_sockets.internal_upstream.v3.InternalUpstreamTransport', {
      ...(passthrough ? { passthroughMetadata: [{ kind: { host: {} }, name: ORIGINAL_DST_METADATA }] } : {}),
      transportSocket: {
        name: 'envoy.transport_sockets.raw_buffer',
        typedConfig: any('envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer'),
      },
    }),
  };
}

/** A STATIC cluster whose one endpoint is an internal listener. */
function internalCluster(name: string, listener: string, passthrough: boolean): Json {
  return {
    name,
    type: 'STATIC',
    connectTimeout: duration(CONNECT_TIMEOUT_MS),
    loadAssignment: {
      clusterName: name,
      endpoints: [
        { lbEndpoints: [{ endpoint: { address: { envoyInternalAddress: { serverListenerName: listener } } } }] },
      ],
    },
    transportSocket: internalUpstream(passthrough),
  };
}

function connectOriginate(trustDomain: string): Json {
  return {
    name: CONNECT_ORIGINATE,
    type: 'ORIGINAL_DST',
    lbPolicy: 'CLUSTER_PROVIDED',
    connectTimeout: duration(CONNECT_TIMEOUT_MS),
    cleanupInterval: duration(60_000),
    // The destination pod's address (restored by the listener's original_dst filter), at ztunnel's HBONE port.
    originalDstLbConfig: { upstreamPortOverride: HBONE_PORT },
    typedExtensionProtocolOptions: {
      [HTTP_OPTIONS]: any(HTTP_OPTIONS, {
        commonHttpProtocolOptions: { idleTimeout: duration(HBONE_IDLE_TIMEOUT_MS) },
        explicitHttpConfig: { http2ProtocolOptions: { allowConnect: true } },
      }),
    },
    transportSocket: hboneClientTls(trustDomain),
  };
}

/** connect_originate, encap and main_internal: what every waypoint has. */
export function baseClusters(trustDomain: string): Json[] {
  return [
    connectOriginate(trustDomain),
    internalCluster(ENCAP, CONNECT_ORIGINATE, true),
    internalCluster(MAIN_INTERNAL, MAIN_INTERNAL, false),
  ];
}

/** How HTTP goes to the pods: HTTP/2 for HTTP/2 and gRPC ports, else as it came in. */
function httpOptions(port: ServicePort): Json {
  const http2 = port.protocol === 'http2' || port.protocol === 'grpc';
  const config = http2
    ? { explicitHttpConfig: { http2ProtocolOptions: {} } }
    : { useDownstreamProtocolConfig: { httpProtocolOptions: {}, http2ProtocolOptions: {} } };
  return { typedExtensionProtocolOptions: { [HTTP_OPTIONS]: any(HTTP_OPTIONS, config) } };
}

/** An `inbound-vip|…` or `outbound|…` cluster: endpoints by EDS over the ADS stream. */
export function serviceCluster(name: string, kind: ChainKind, port: ServicePort): Json {
  return {
    name,
    type: 'EDS',
    edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } },
    connectTimeout: duration(CONNECT_TIMEOUT_MS),
    ...(kind === 'http' ? httpOptions(port) : {}),
    transportSocket: internalUpstream(true),
  };
}

/** A passthrough cluster: each connection goes, plain, to the destination main_internal restored from the tunnel. */
export function passthroughCluster(name: string, kind: ChainKind, port: ServicePort): Json {
  return {
    name,
    type: 'ORIGINAL_DST',
    lbPolicy: 'CLUSTER_PROVIDED',
    connectTimeout: duration(CONNECT_TIMEOUT_MS),
    ...(kind === 'http' ? httpOptions(port) : {}),
  };
}
