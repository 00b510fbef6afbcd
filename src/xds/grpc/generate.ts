// Proxyless gRPC, as Istio serves it: a client dialling `xds:///<host>:<port>` asks for the Listener of that name
// (an ApiListener whose HCM takes its routes over RDS), the RouteConfiguration, then `outbound|<port>||<host>` EDS
// clusters and their endpoints. Hosts may be short (`echo`, `echo.ns`, `echo.ns.svc`), resolved from the client's
// namespace. Pure.
import type { MeshModel, RouteRule, RouteTable, Service } from '../model/model.ts';
import { grpcRoutes } from './routes.ts';

const hcmType = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const routerType = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const faultType = 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault';

/** A rule every request matches: no matches, or one with nothing but a `/` prefix. */
const catchesAll = (rule: RouteRule) =>
  rule.matches.length === 0 ||
  rule.matches.some(
    (m) =>
      !m.headers?.length &&
      !m.queryParams?.length &&
      !m.method &&
      (!m.path || (m.path.type === 'PathPrefix' && m.path.value === '/')),
  );

export const outboundCluster = (host: string, port: number) => `outbound|${String(port)}||${host}`;

/** The index a gRPC client's lookups go through: built once per model. */
export interface GrpcIndex {
  model: MeshModel;
  byHost: Map<string, Service>;
  routes: Map<string, RouteTable>;
}

export function indexForGrpc(model: MeshModel): GrpcIndex {
  return {
    model,
    // A ServiceEntry host defined in several namespaces resolves to its canonical definition.
    byHost: new Map(
      model.services.filter((s) => s.serviceEntry?.canonical !== false).map((s) => [s.hostname, s] as const),
    ),
    routes: new Map(model.routes.map((r) => [`${r.host}:${String(r.port)}`, r])),
  };
}

/** `<host>:<port>` with a short host made fully qualified from the client's namespace. */
export function resolveTarget(
  index: GrpcIndex,
  target: string,
  clientNamespace: string,
): { service: Service; port: number } | undefined {
  const colon = target.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const host = target.slice(0, colon);
  const port = Number(target.slice(colon + 1));
  if (!Number.isInteger(port)) return undefined;
  const domain = index.model.clusterDomain;
  const parts = host.split('.');
  const candidates =
    parts.length === 1
      ? [`${host}.${clientNamespace}.svc.${domain}`]
      : parts.length === 2
        ? [`${host}.svc.${domain}`]
        : parts.length === 3 && parts[2] === 'svc'
          ? [`${host}.${domain}`]
          : [host];
  for (const c of candidates) {
    const service = index.byHost.get(c);
    if (service?.ports.some((p) => p.port === port)) return { service, port };
  }
  return undefined;
}

export function grpcListener(index: GrpcIndex, name: string, clientNamespace: string): object | undefined {
  const target = resolveTarget(index, name, clientNamespace);
  if (!target) return undefined;
  return {
    name,
    apiListener: {
      apiListener: {
        '@type': hcmType,
        rds: { routeConfigName: outboundCluster(target.service.hostname, target.port), configSource: { ads: {} } },
        httpFilters: [
          { name: 'envoy.filters.http.fault', typedConfig: { '@type': faultType } },
          { name: 'envoy.filters.http.router', typedConfig: { '@type': routerType } },
        ],
      },
    },
  };
}

const parseCluster = (name: string) => {
  const m = /^outbound\|(\d+)\|\|(.+)$/.exec(name);
  return m ? { port: Number(m[1]), host: m[2] ?? '' } : undefined;
};

export function grpcRouteConfiguration(index: GrpcIndex, name: string): object | undefined {
  const target = parseCluster(name);
  const service = target && index.byHost.get(target.host);
  if (!target || !service) return undefined;
  const table = index.routes.get(`${target.host}:${String(target.port)}`);
  const rules = table?.rules ?? [];
  const routes = rules.flatMap((r) => grpcRoutes(r, outboundCluster));
  // Nothing matched (or no routes at all): to the service itself.
  if (!rules.some(catchesAll)) routes.push({ match: { prefix: '' }, route: { cluster: name } });
  const port = String(target.port);
  const suffix = `.svc.${index.model.clusterDomain}`;
  // A ServiceEntry host has no shorter forms.
  const short = service.hostname.endsWith(suffix) ? service.hostname.slice(0, -suffix.length) : undefined;
  const shortForms = short ? [short, `${short}:${port}`, service.name, `${service.name}:${port}`] : [];
  return {
    name,
    virtualHosts: [
      {
        name: `${service.hostname}:${port}`,
        domains: [service.hostname, `${service.hostname}:${port}`, ...shortForms, '*'],
        routes,
      },
    ],
  };
}

export function grpcCluster(index: GrpcIndex, name: string): object | undefined {
  const target = parseCluster(name);
  if (!target || !index.byHost.has(target.host)) return undefined;
  return {
    name,
    type: 'EDS',
    edsClusterConfig: { edsConfig: { ads: {} }, serviceName: name },
    lbPolicy: 'ROUND_ROBIN',
  };
}

export function grpcEndpoints(index: GrpcIndex, name: string): object | undefined {
  const target = parseCluster(name);
  const service = target && index.byHost.get(target.host);
  if (!target || !service) return undefined;
  const endpoints = service.endpoints
    .filter((e) => e.ready && e.ports[target.port] !== undefined)
    .map((e) => ({
      endpoint: { address: { socketAddress: { address: e.address, portValue: e.ports[target.port] } } },
    }));
  return {
    clusterName: name,
    // gRPC drops localities without a weight.
    endpoints: endpoints.length ? [{ locality: {}, loadBalancingWeight: 1, lbEndpoints: endpoints }] : [],
  };
}
