// Who is on the other end of a stream, from the xDS node: Istio's node id `<type>~<ip>~<pod>.<ns>~<ns>.svc.<domain>`
// (pilot-agent, ztunnel and Istio's proxyless gRPC bootstrap all use it) and the node metadata (ISTIO_META_* as
// sent by pilot-agent; GENERATOR=grpc marks a proxyless gRPC client).

export type ProxyType = 'waypoint' | 'sidecar' | 'router' | 'ztunnel';

export interface Proxy {
  /** The node id as sent. */
  id: string;
  type: ProxyType;
  ip: string;
  /** The pod name. */
  name: string;
  namespace: string;
  metadata: Record<string, unknown>;
  /** Which generator serves it: Envoy waypoints, proxyless gRPC, or ztunnel's workload API. */
  generator: 'waypoint' | 'grpc' | 'workload';
}

const proxyTypes = new Set<string>(['waypoint', 'sidecar', 'router', 'ztunnel']);

/**
 * The longest node id accepted: Istio's form holds an IP, a pod name (≤ 253), a namespace twice (≤ 63) and a DNS
 * domain (≤ 253), well under this. A longer id is refused before anything is kept or logged about it.
 */
export const maxNodeIdLength = 1024;

/** Throws with what is wrong and what is expected, so the stream can end with a clear status. */
export function parseProxy(nodeId: string, metadata: Record<string, unknown>): Proxy {
  if (nodeId.length > maxNodeIdLength)
    throw new Error(
      `node id of ${String(nodeId.length)} characters starting "${nodeId.slice(0, 60)}" is longer than ${String(maxNodeIdLength)}; ` +
        'Istio node ids are <type>~<ip>~<pod>.<namespace>~<namespace>.svc.<domain>',
    );
  const parts = nodeId.split('~');
  const [type = '', ip = '', podDotNs = '', domain = ''] = parts;
  if (parts.length !== 4 || !proxyTypes.has(type) || !podDotNs.includes('.'))
    throw new Error(
      `node id "${nodeId}" is not of the form <waypoint|sidecar|router|ztunnel>~<ip>~<pod>.<namespace>~<namespace>.svc.<domain>`,
    );
  const dot = podDotNs.lastIndexOf('.');
  const namespace = podDotNs.slice(dot + 1) || domain.split('.')[0] || '';
  const proxyType = type as ProxyType;
  const generator =
    proxyType === 'ztunnel'
      ? 'workload'
      : metadata['GENERATOR'] === 'grpc'
        ? 'grpc'
        : proxyType === 'waypoint'
          ? 'waypoint'
          : undefined;
  if (!generator)
    throw new Error(
      `node "${nodeId}": Ambit serves waypoints, ztunnel and proxyless gRPC clients (metadata GENERATOR=grpc); a ${type} Envoy is not supported`,
    );
  return { id: nodeId, type: proxyType, ip, name: podDotNs.slice(0, dot), namespace, metadata, generator };
}
