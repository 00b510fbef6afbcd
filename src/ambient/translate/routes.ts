// HTTPRoutes with Service or ServiceEntry parents (GAMMA) and VirtualServices → one RouteTable per Service port (a
// ServiceEntry: per host and port). A table holds the HTTPRoute rules first, in Gateway API precedence, then the
// VirtualServices' rules, oldest VirtualService first, and stops after the first rule that matches everything. As on
// istiod's waypoints, only routes in the Service's (ServiceEntry's) namespace or in its waypoint's namespace count, and
// only hosts that exist get a table.
import type { VirtualServiceSpec } from '../../api/istio/virtual-service.ts';
import { serviceBinding } from '../binding.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { RouteRule, RouteTable } from '../../xds/model/model.ts';
import {
  byAge,
  clusterIndex,
  serviceEntryHosts,
  serviceEntryPorts,
  serviceHostname,
  servicePorts,
  type ClusterFacts,
  type ClusterIndex,
} from './cluster-index.ts';
import { convertHttpRoute } from './httproute-rules.ts';
import { jsonCopy } from './json-copy.ts';
import { routeParents } from './parents.ts';
import { compareRules, isCatchAll } from './precedence.ts';
import { resolveVsHost, vsRule } from './vs-rules.ts';

export interface RouteTablesInput extends ClusterFacts {
  httpRoutes: KubeObject[];
  virtualServices: KubeObject[];
}

interface Draft {
  host: string;
  port: number;
  gateway: { rule: RouteRule; source: string }[];
  virtual: { rule: RouteRule; source: string }[];
}

export function routeTables(input: RouteTablesInput): RouteTable[] {
  const index = clusterIndex(input);
  const drafts = new Map<string, Draft>();
  const draft = (host: string, port: number) => {
    const id = `${host}:${String(port)}`;
    const d = drafts.get(id) ?? { host, port, gateway: [], virtual: [] };
    drafts.set(id, d);
    return d;
  };
  for (const route of [...input.httpRoutes].sort(byAge)) {
    const source = `HTTPRoute/${route.metadata.namespace ?? ''}/${route.metadata.name}`;
    const { rules } = convertHttpRoute(route, index);
    const targets = new Map<string, { host: string; port: number }>();
    for (const p of routeParents(route, index)) {
      if (p.kind !== 'service' || !routeNamespaceAllowed(route, p.service, index)) continue;
      for (const host of p.hosts) for (const port of p.ports) targets.set(`${host}:${String(port)}`, { host, port });
    }
    for (const t of targets.values())
      draft(t.host, t.port).gateway.push(...rules.map((rule) => ({ rule: jsonCopy(rule), source })));
  }
  for (const vs of [...input.virtualServices].sort(byAge)) addVirtualService(vs, index, draft);
  return [...drafts.values()].flatMap(assemble).sort((a, b) => compareText(a.host, b.host) || a.port - b.port);
}

function addVirtualService(vs: KubeObject, index: ClusterIndex, draft: (host: string, port: number) => Draft): void {
  const spec = (vs['spec'] ?? {}) as VirtualServiceSpec;
  if (spec.gateways?.length && !spec.gateways.includes('mesh')) return;
  const ns = vs.metadata.namespace ?? '';
  const source = `VirtualService/${ns}/${vs.metadata.name}`;
  const hosts = (spec.hosts ?? []).map((h) => resolveVsHost(h, ns, index.clusterDomain));
  const targets = [
    ...index.services.map((svc) => ({
      obj: svc,
      hosts: [serviceHostname(svc.metadata.name, svc.metadata.namespace ?? '', index.clusterDomain)],
      ports: servicePorts(svc),
    })),
    ...[...index.serviceEntries]
      .sort(byAge)
      .map((se) => ({ obj: se, hosts: serviceEntryHosts(se), ports: serviceEntryPorts(se) })),
  ];
  // A host defined twice (a Service and a ServiceEntry, or entries in two namespaces) gets one table: the Service's,
  // else the oldest entry's.
  const seen = new Set<string>();
  for (const { obj, hosts: own, ports } of targets) {
    const matched = own.filter((host) => !seen.has(host) && hosts.some((h) => hostMatches(h, host)));
    own.forEach((h) => seen.add(h));
    if (matched.length === 0 || !routeNamespaceAllowed(vs, obj, index)) continue;
    for (const host of matched)
      for (const port of ports) {
        const rules = (spec.http ?? []).flatMap((http) => vsRule(http, ns, port, index) ?? []);
        draft(host, port).virtual.push(...rules.map((rule) => ({ rule, source })));
      }
  }
}

// Sources are listed in the order they were added (HTTPRoutes oldest first, then VirtualServices oldest first), not
// in rule order, and only when at least one of their rules made it before the catch-all.
function assemble(d: Draft): RouteTable[] {
  const added = [...new Set([...d.gateway, ...d.virtual].map((e) => e.source))];
  const rules: RouteRule[] = [];
  const used = new Set<string>();
  for (const { rule, source } of [...d.gateway].sort((a, b) => compareRules(a.rule, b.rule)).concat(d.virtual)) {
    rules.push(rule);
    used.add(source);
    if (isCatchAll(rule)) break;
  }
  const sources = added.filter((s) => used.has(s));
  return rules.length ? [{ host: d.host, port: d.port, rules, sources }] : [];
}

// istiod's waypoints take routes from the Service's (ServiceEntry's) own namespace or the waypoint's, never from a
// third namespace.
function routeNamespaceAllowed(route: KubeObject, svc: KubeObject, index: ClusterIndex): boolean {
  const ns = route.metadata.namespace ?? '';
  if (ns === (svc.metadata.namespace ?? '')) return true;
  const binding = serviceBinding(index.view, svc);
  return binding.kind === 'bound' && binding.waypoint.namespace === ns;
}

/** A VirtualService host against a Service hostname: exact, `*`, or a `*.suffix` wildcard. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
