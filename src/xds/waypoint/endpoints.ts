// EDS for a Service port. A pod captured by ztunnel is reached through HBONE: its endpoint is the internal listener
// connect_originate, with the pod's address as the original destination that listener restores. Other endpoints are
// plain addresses. Endpoints that are not ready are left out, as istiod does by default.
import type { Endpoint, Service, ServicePort } from '../model/model.ts';
import { CONNECT_ORIGINATE, ORIGINAL_DST_METADATA } from './names.ts';
import type { Json } from './json.ts';

const hostPort = (address: string, port: number): string =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

function lbEndpoint(endpoint: Endpoint, port: number): Json {
  if (!endpoint.hbone)
    return { endpoint: { address: { socketAddress: { address: endpoint.address, portValue: port } } } };
  const destination = hostPort(endpoint.address, port);
  return {
    // endpoint_id tells the hosts apart: they share one listener name.
    endpoint: { address: { envoyInternalAddress: { serverListenerName: CONNECT_ORIGINATE, endpointId: destination } } },
    metadata: { filterMetadata: { [ORIGINAL_DST_METADATA]: { local: destination } } },
  };
}

export function loadAssignment(clusterName: string, service: Service, port: ServicePort): Json {
  const byDestination = new Map<string, Json>();
  for (const endpoint of service.endpoints) {
    if (!endpoint.ready) continue;
    const target = endpoint.ports[port.port] ?? port.targetPort;
    const destination = hostPort(endpoint.address, target);
    // The same address in two EndpointSlices is one endpoint.
    if (!byDestination.has(destination)) byDestination.set(destination, lbEndpoint(endpoint, target));
  }
  const lbEndpoints = [...byDestination.keys()].sort().map((k) => byDestination.get(k)!);
  return { clusterName, ...(lbEndpoints.length > 0 ? { endpoints: [{ lbEndpoints }] } : {}) };
}
