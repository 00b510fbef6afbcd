// The server side of proxyless gRPC (gRFC A36), as Istio serves it: an xDS-enabled gRPC server asks for the Listener
// `grpc/server?xds.resource.listening_address=<ip>:<port>` and gets one whose address is that IP and port, with an
// HTTP connection manager whose single route does not forward (the server handles the call itself) and, before the
// router, RBAC from the AuthorizationPolicies ztunnel would enforce for the workload behind that address (its
// namespace's, the root namespace's, and those whose selector matches it). Pure.
import type { AuthorizationPolicy } from '../model/model.ts';
import { httpRbacFilters } from '../waypoint/rbac.ts';
import type { GrpcIndex } from './generate.ts';

export const serverListenerPrefix = 'grpc/server?xds.resource.listening_address=';

const hcmType = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const routerType = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';

/** The workload serving `ip:port`: an endpoint of some Service at that address and target port. */
function workloadAt(index: GrpcIndex, ip: string, port: number): string | undefined {
  for (const s of index.model.services)
    for (const e of s.endpoints)
      if (e.address === ip && e.workloadUid && Object.values(e.ports).includes(port)) return e.workloadUid;
  return undefined;
}

function policiesFor(index: GrpcIndex, uid: string | undefined): AuthorizationPolicy[] {
  const workload = index.model.workloads.find((w) => w.uid === uid);
  if (!workload) return [];
  const selected = new Set(workload.authorizationPolicies);
  return index.model.authorizationPolicies.filter(
    (p) =>
      p.targetRefs.length === 0 &&
      (selected.has(`${p.namespace}/${p.name}`) ||
        (!p.selector && (p.namespace === workload.namespace || p.namespace === index.model.rootNamespace))),
  );
}

export function grpcServerListener(index: GrpcIndex, name: string): object | undefined {
  if (!name.startsWith(serverListenerPrefix)) return undefined;
  const address = name.slice(serverListenerPrefix.length);
  const colon = address.lastIndexOf(':');
  const ip = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return undefined;
  // gRPC wants filter names unique; Envoy's two RBAC filters (DENY, then ALLOW) share one.
  const rbac = httpRbacFilters(policiesFor(index, workloadAt(index, ip, port))).map((f, i) => ({
    ...f,
    name: `${String(f['name'])}.${String(i)}`,
  }));
  return {
    name,
    address: { socketAddress: { address: ip, portValue: port } },
    filterChains: [
      {
        name: 'inbound',
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typedConfig: {
              '@type': hcmType,
              statPrefix: 'inbound',
              routeConfig: {
                name: 'inbound',
                virtualHosts: [
                  { name: 'inbound', domains: ['*'], routes: [{ match: { prefix: '' }, nonForwardingAction: {} }] },
                ],
              },
              httpFilters: [...rbac, { name: 'envoy.filters.http.router', typedConfig: { '@type': routerType } }],
            },
          },
        ],
      },
    ],
  };
}
