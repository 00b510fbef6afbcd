// The cluster objects the translators look things up in, indexed once per translation: Services (by name and by
// hostname), namespaces, Gateways (ready or not), GatewayClasses, ServiceEntries (by name and by host) and
// ReferenceGrants, plus the binding rules' view (which waypoint a Service or ServiceEntry uses).
import type { AmbientView } from '../binding.ts';
import { ambientView } from '../view.ts';
import type { KubeObject } from '../../kube/objects.ts';

export interface ClusterFacts {
  services: KubeObject[];
  namespaces: KubeObject[];
  gateways?: KubeObject[];
  gatewayClasses?: KubeObject[];
  /** Absent: the caller does not watch ServiceEntries, so routes leave ServiceEntry parents alone. */
  serviceEntries?: KubeObject[];
  referenceGrants?: KubeObject[];
  clusterDomain: string;
}

export interface ClusterIndex {
  clusterDomain: string;
  view: AmbientView;
  services: KubeObject[];
  service: (namespace: string, name: string) => KubeObject | undefined;
  serviceByHost: (hostname: string) => KubeObject | undefined;
  namespace: (name: string) => KubeObject | undefined;
  /** Any Gateway, whether or not it is a ready waypoint. */
  gateway: (namespace: string, name: string) => KubeObject | undefined;
  gatewayClass: (name: string) => KubeObject | undefined;
  serviceEntry: (namespace: string, name: string) => KubeObject | undefined;
  /** Whether ServiceEntries were given at all (a missing one is then really missing). */
  knowsServiceEntries: boolean;
  serviceEntries: KubeObject[];
  /** The ports of a Service hostname or ServiceEntry host, when something defines it. */
  hostPorts: (hostname: string) => number[] | undefined;
  referenceGrants: (namespace: string) => KubeObject[];
}

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export const serviceHostname = (name: string, namespace: string, clusterDomain: string) =>
  `${name}.${namespace}.svc.${clusterDomain}`;

export function clusterIndex(facts: ClusterFacts): ClusterIndex {
  const services = new Map(facts.services.map((s) => [key(s), s]));
  const byHost = new Map(
    facts.services.map((s) => [serviceHostname(s.metadata.name, s.metadata.namespace ?? '', facts.clusterDomain), s]),
  );
  const namespaces = new Map(facts.namespaces.map((n) => [n.metadata.name, n]));
  const gateways = new Map((facts.gateways ?? []).map((g) => [key(g), g]));
  const classes = new Map((facts.gatewayClasses ?? []).map((c) => [c.metadata.name, c]));
  const entryList = facts.serviceEntries ?? [];
  const entries = new Map(entryList.map((e) => [key(e), e]));
  // The oldest entry defining a host gives its ports, as istiod keeps the oldest.
  const entryByHost = new Map<string, KubeObject>();
  for (const e of [...entryList].sort(byAge))
    for (const h of serviceEntryHosts(e)) if (!entryByHost.has(h)) entryByHost.set(h, e);
  const grants = new Map<string, KubeObject[]>();
  for (const g of facts.referenceGrants ?? []) {
    const ns = g.metadata.namespace ?? '';
    grants.set(ns, [...(grants.get(ns) ?? []), g]);
  }
  return {
    clusterDomain: facts.clusterDomain,
    view: ambientView(facts.namespaces, facts.gateways ?? [], facts.gatewayClasses ?? []),
    services: facts.services,
    service: (namespace, name) => services.get(`${namespace}/${name}`),
    serviceByHost: (hostname) => byHost.get(hostname),
    namespace: (name) => namespaces.get(name),
    gateway: (namespace, name) => gateways.get(`${namespace}/${name}`),
    gatewayClass: (name) => classes.get(name),
    serviceEntry: (namespace, name) => entries.get(`${namespace}/${name}`),
    knowsServiceEntries: facts.serviceEntries !== undefined,
    serviceEntries: entryList,
    hostPorts: (hostname) => {
      const svc = byHost.get(hostname);
      if (svc) return servicePorts(svc);
      const entry = entryByHost.get(hostname);
      return entry && serviceEntryPorts(entry);
    },
    referenceGrants: (namespace) => grants.get(namespace) ?? [],
  };
}

/** A ServiceEntry's hosts, each once. */
export function serviceEntryHosts(se: KubeObject): string[] {
  const hosts = (se['spec'] as { hosts?: unknown[] } | undefined)?.hosts ?? [];
  return [...new Set(hosts.filter((h): h is string => typeof h === 'string' && h !== ''))];
}

/** A ServiceEntry's port numbers, in spec order. */
export function serviceEntryPorts(se: KubeObject): number[] {
  const ports = (se['spec'] as { ports?: { number?: number }[] } | undefined)?.ports ?? [];
  return ports.flatMap((p) => (typeof p.number === 'number' ? [p.number] : []));
}

/** The Service's port numbers, in spec order. */
export function servicePorts(svc: KubeObject): number[] {
  const ports = (svc['spec'] as { ports?: { port?: number }[] } | undefined)?.ports ?? [];
  return ports.flatMap((p) => (typeof p.port === 'number' ? [p.port] : []));
}

/** Oldest first, then namespace/name: istiod's order for routes and VirtualServices. */
export function byAge(a: KubeObject, b: KubeObject): number {
  const ka = key(a);
  const kb = key(b);
  return created(a) - created(b) || (ka < kb ? -1 : ka > kb ? 1 : 0);
}

function created(o: KubeObject): number {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}
