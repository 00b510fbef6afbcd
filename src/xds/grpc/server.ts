// The server side of proxyless gRPC (gRFC A36), as Istio serves it: an xDS-enabled gRPC server asks for the Listener
// `xds.istio.io/grpc/lds/inbound/<ip>:<port>` (the template of the bootstrap Istio's agent writes) or gRPC's default
// `grpc/server?xds.resource.listening_address=<ip>:<port>`, and gets one whose address is that IP and port, with an
// HTTP connection manager whose single route does not forward (the server handles the call itself) and, before the
// router, RBAC from the AuthorizationPolicies ztunnel would enforce for the workload behind that address (its
// namespace's, the root namespace's, and those whose selector matches it). Pure.
import type { AuthorizationPolicy } from '../model/model.ts';
import { httpRbacFilters } from '../waypoint/rbac.ts';
import type { GrpcIndex } from './generate.ts';

const serverListenerPrefixes = ['xds.istio.io/grpc/lds/inbound/', 'grpc/server?xds.resource.listening_address='];

/** The `<ip>:<port>` a server Listener name asks for; undefined for a client's (a `<host>:<port>` target). */
export function serverListenerAddress(name: string): string | undefined {
  const prefix = serverListenerPrefixes.find((p) => name.startsWith(p));
  return prefix === undefined ? undefined : name.slice(prefix.length);
}

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
  const address = serverListenerAddress(name);
  if (address === undefined) return undefined;
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
