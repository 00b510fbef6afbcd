// ServiceEntries as model Services, the way istiod's ambient index makes them: one Service per host (named after the
// entry, keyed `<ns>/<host>` in WDS), with the entry's VIPs and ports, its waypoint by the Service binding rules, and
// as endpoints its inline endpoints plus the WorkloadEntries and pods of its namespace its workloadSelector matches.
// Ports reach an endpoint by the ServiceEntry port's name (the endpoint's named port, a pod's named container port),
// else the target port. Pure.
import { serviceBinding, type AmbientView, type Binding } from '../binding.ts';
import { selects } from '../../kube/label-selector.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { Endpoint, Service, ServicePort, WaypointRef } from '../../xds/model/model.ts';
import { livePodIp, namedContainerPort, podReady, podUid } from '../pods.ts';
import { parseServiceEntry, type InlineEndpoint, type ParsedServiceEntry } from './service-entry-spec.ts';
import { selectedWorkloadEntries } from '../workload-entries.ts';
import { tunnelOf } from '../tunnel.ts';

export interface ServiceEntryProblem {
  /** `<ns>/<name>` of the ServiceEntry. */
  serviceEntry: string;
  message: string;
}

export interface ServiceEntryContext {
  clusterId: string;
  view: AmbientView;
  workloadEntries: KubeObject[];
  pods: KubeObject[];
  /** UIDs of the pods ztunnel captures. */
  hbonePods: Set<string>;
  waypointRef: (b: Binding) => WaypointRef | undefined;
}

export const serviceEntryUid = (clusterId: string, ns: string, name: string, address: string) =>
  `${clusterId}/networking.istio.io/ServiceEntry/${ns}/${name}/${address}`;

/** The entries that can be used, and why the others (or parts of them) cannot, sorted by namespace and name. */
export function parseServiceEntries(objects: KubeObject[]): {
  entries: ParsedServiceEntry[];
  problems: ServiceEntryProblem[];
} {
  const entries: ParsedServiceEntry[] = [];
  const problems: ServiceEntryProblem[] = [];
  const id = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  for (const se of [...objects].sort((a, b) => compare(id(a), id(b)))) {
    const parsed = readEntry(se);
    if (parsed.entry) entries.push(parsed.entry);
    problems.push(...parsed.problems.map((message) => ({ serviceEntry: id(se), message })));
  }
  return { entries, problems };
}

// A field of the wrong type (an object no schema checked) must cost only that object.
function readEntry(se: KubeObject): ReturnType<typeof parseServiceEntry> {
  try {
    return parseServiceEntry(se);
  } catch (err) {
    return { problems: [`the ServiceEntry cannot be read (${(err as Error).message}); it is skipped`] };
  }
}

/** The entry's Services, one per host, not yet told whether they are their hostname's canonical definition. */
export function serviceEntryServices(entry: ParsedServiceEntry, ctx: ServiceEntryContext): Service[] {
  const endpoints = [
    ...entry.endpoints.map((ep) => inlineEndpoint(entry, ep, ctx.clusterId)),
    ...selectedWorkloadEntries(entry.namespace, entry.selector, ctx.workloadEntries, entry.ports, ctx.clusterId),
    ...selectedPods(entry, ctx),
  ].sort((a, b) => compare(a.address, b.address) || compare(a.workloadUid ?? '', b.workloadUid ?? ''));
  const waypoint = ctx.waypointRef(serviceBinding(ctx.view, entry.object));
  return entry.hosts.map((host) => ({
    name: entry.name,
    namespace: entry.namespace,
    hostname: host,
    vips: [...(entry.vips.get(host) ?? [])],
    ports: entry.ports.map((p) => ({ ...p })),
    ...(waypoint ? { waypoint } : {}),
    endpoints: endpoints.map((e) => ({ ...e, ports: { ...e.ports } })),
    creationTimestamp: entry.creationTimestamp,
    serviceEntry: {
      resolution: entry.resolution,
      location: entry.location,
      subjectAltNames: [...entry.subjectAltNames],
      canonical: false,
    },
  }));
}

/** Service port → the endpoint's port: its port of the ServiceEntry port's name, else the target port. */
function portMap(ports: ServicePort[], named: (name: string) => number | undefined): Record<number, number> {
  const out: Record<number, number> = {};
  for (const p of ports) out[p.port] = (p.name ? named(p.name) : undefined) ?? p.targetPort;
  return out;
}

function inlineEndpoint(entry: ParsedServiceEntry, ep: InlineEndpoint, clusterId: string): Endpoint {
  return {
    workloadUid: serviceEntryUid(clusterId, entry.namespace, entry.name, ep.address),
    address: ep.address,
    ports: portMap(entry.ports, (name) => ep.ports[name]),
    ready: true,
    // The entry's own annotation says whether ztunnel captures its endpoints (istiod's setTunnelProtocol).
    hbone: tunnelOf(entry.object.metadata).hbone,
  };
}

function selectedPods(entry: ParsedServiceEntry, ctx: ServiceEntryContext): Endpoint[] {
  const selector = entry.selector;
  if (!selector) return [];
  return ctx.pods.flatMap((pod) => {
    const address = livePodIp(pod);
    const labels = pod.metadata.labels ?? {};
    if (pod.metadata.namespace !== entry.namespace || !address) return [];
    if (!selects({ matchLabels: selector }, labels)) return [];
    const uid = podUid(ctx.clusterId, entry.namespace, pod.metadata.name);
    const node = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
    return [
      {
        workloadUid: uid,
        address,
        ports: portMap(entry.ports, (name) => namedContainerPort(pod, name)),
        ready: podReady(pod),
        hbone: ctx.hbonePods.has(uid),
        ...(node ? { nodeName: node } : {}),
      },
    ];
  });
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
