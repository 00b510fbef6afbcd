// HBONE's mTLS on both sides of the waypoint: TLS 1.3 only, ALPN h2, the workload certificate (`default`) and the
// mesh root (`ROOTCA`) fetched from pilot-agent's SDS server, which the bootstrap reaches as cluster `sds-grpc`.
import { IDENTITY_SECRET, ROOT_CA_SECRET, SDS_CLUSTER } from './names.ts';
import { any, duration, type Json } from './json.ts';

const TLS = 'envoy.extensions.transport_sockets.tls.v3';

function sdsConfig(): Json {
  return {
    apiConfigSource: {
      apiType: 'GRPC',
      transportApiVersion: 'V3',
      grpcServices: [{ envoyGrpc: { clusterName: SDS_CLUSTER } }],
      setNodeOnFirstMessageOnly: true,
    },
    // Wait for the certificate however long it takes: a listener without it cannot serve anyway.
    initialFetchTimeout: duration(0),
    resourceApiVersion: 'V3',
  };
}

function commonTlsContext(validation: Json): Json {
  return {
    tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_3', tlsMaximumProtocolVersion: 'TLSv1_3' },
    alpnProtocols: ['h2'],
    tlsCertificateSdsSecretConfigs: [{ name: IDENTITY_SECRET, sdsConfig: sdsConfig() }],
    combinedValidationContext: {
      defaultValidationContext: validation,
      validationContextSdsSecretConfig: { name: ROOT_CA_SECRET, sdsConfig: sdsConfig() },
    },
  };
}

/** connect_terminate's side: any client with a certificate from the mesh root. */
export function hboneServerTls(): Json {
  return {
    name: 'envoy.transport_sockets.tls',
    typedConfig: any(`${TLS}.DownstreamTlsContext`, {
      commonTlsContext: commonTlsContext({}),
      requireClientCertificate: true,
    }),
  };
}

/**
 * connect_originate's side: the destination ztunnel presents the destination workload's identity, which may be in
 * any namespace, so the check stops at the trust domain.
 */
export function hboneClientTls(trustDomain: string): Json {
  return {
    name: 'envoy.transport_sockets.tls',
    typedConfig: any(`${TLS}.UpstreamTlsContext`, {
      commonTlsContext: commonTlsContext({
        matchTypedSubjectAltNames: [{ sanType: 'URI', matcher: { prefix: `spiffe://${trustDomain}/ns/` } }],
      }),
    }),
  };
}
