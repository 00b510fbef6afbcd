// Kubernetes Services and ServiceEntries as model Services: ports with Istio's protocol selection, ready endpoints
// from EndpointSlices and WorkloadEntries (HBONE for redirected pods), the bound waypoint, IP families and load
// balancing; one definition per hostname and namespace, with the ServiceEntry problems found on the way.
import type { KubeObject } from '../../kube/objects.ts';
import type { Endpoint, PortProtocol, Service, ServicePort } from '../../xds/model/model.ts';
import { serviceBinding, type Binding } from '../binding.ts';
import { podUid } from '../pods.ts';
import { tunnelOf } from '../tunnel.ts';
import { parseServiceEntries, serviceEntryServices } from '../serviceentry/service-entries.ts';
import { settleHostnames } from '../serviceentry/service-hostnames.ts';
import { workloadEntryEndpoints } from '../workload-entries.ts';
import type { MeshInput } from './input.ts';
import { serviceIpFamilies, serviceLoadBalancing } from './load-balancing.ts';
import { waypointRef } from './waypoint-refs.ts';

interface K8sServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
  protocol?: string;
}

interface Slice {
  ports?: { name?: string; port?: number }[] | null;
  endpoints?: {
    addresses: string[];
    conditions?: { ready?: boolean };
    nodeName?: string;
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }[];
}

/** Istio's protocol selection: appProtocol first, then the port name's prefix; unnamed ports are sniffed. */
export function portProtocol(p: K8sServicePort): PortProtocol {
  const byName: Record<string, PortProtocol> = {
    http: 'http',
    https: 'tls',
    http2: 'http2',
    'kubernetes.io/h2c': 'http2',
    grpc: 'grpc',
    'grpc-web': 'http',
    tcp: 'tcp',
    tls: 'tls',
    mongo: 'tcp',
    mysql: 'tcp',
    redis: 'tcp',
  };
  if (p.protocol === 'UDP' || p.protocol === 'SCTP') return 'tcp';
  const app = p.appProtocol?.toLowerCase();
  if (app && byName[app]) return byName[app];
  const prefix = (p.name ?? '').toLowerCase().split('-')[0] ?? '';
  return byName[prefix] ?? 'unknown';
}

function toService(svc: KubeObject, slices: KubeObject[], input: MeshInput, hbonePods: Set<string>): Service {
  const ns = svc.metadata.namespace ?? '';
  const spec = (svc['spec'] ?? {}) as { clusterIPs?: string[]; clusterIP?: string; ports?: K8sServicePort[] };
  const vips = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip !== 'None');
  const k8sPorts = spec.ports ?? [];
  const ports: ServicePort[] = k8sPorts.map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: p.port,
    targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    ...(typeof p.targetPort === 'string' ? { targetPortName: p.targetPort } : {}),
    protocol: portProtocol(p),
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }));
  const endpoints: Endpoint[] = [];
  for (const s of slices) {
    const slice = s as unknown as Slice;
    const byName = new Map((slice.ports ?? []).map((p) => [p.name ?? '', p.port]));
    for (const e of slice.endpoints ?? []) {
      const address = e.addresses[0];
      if (!address) continue;
      const epPorts: Record<number, number> = {};
      for (const p of k8sPorts) {
        const target = byName.get(p.name ?? '');
        if (target !== undefined) epPorts[p.port] = target;
      }
      const pod = e.targetRef?.kind === 'Pod' ? (e.targetRef.name ?? '') : undefined;
      const uid = pod ? podUid(input.clusterId, e.targetRef?.namespace ?? ns, pod) : undefined;
      endpoints.push({
        ...(uid ? { workloadUid: uid } : {}),
        address,
        ports: epPorts,
        ready: e.conditions?.ready !== false,
        hbone: uid !== undefined && hbonePods.has(uid),
        ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      });
    }
  }
  endpoints.push(...workloadEntryEndpoints(svc, input.workloadEntries, ports, input.clusterId));
  endpoints.sort((a, b) => a.address.localeCompare(b.address));
  const waypoint = waypointRef(serviceBinding(input.view, svc), input.clusterDomain);
  const ipFamilies = serviceIpFamilies(svc);
  const loadBalancing = serviceLoadBalancing(svc);
  return {
    name: svc.metadata.name,
    namespace: ns,
    hostname: `${svc.metadata.name}.${ns}.svc.${input.clusterDomain}`,
    vips,
    ports,
    ...(waypoint ? { waypoint } : {}),
    endpoints,
    creationTimestamp: svc.metadata.creationTimestamp ?? '',
    ...(ipFamilies ? { ipFamilies } : {}),
    ...(loadBalancing ? { loadBalancing } : {}),
  };
}

/** The uids of the pods reached over HBONE (see tunnel.ts): their endpoints speak HBONE. */
export const hbonePodsOf = (input: MeshInput) =>
  new Set(
    input.pods
      .filter((p) => tunnelOf(p.metadata).hbone)
      .map((p) => podUid(input.clusterId, p.metadata.namespace ?? '', p.metadata.name)),
  );

/** Kubernetes Services and ServiceEntries as model Services, one definition per hostname and namespace. */
export function meshServices(input: MeshInput, hbonePods: Set<string>) {
  const slicesByService = new Map<string, KubeObject[]>();
  for (const s of input.endpointSlices) {
    const key = `${s.metadata.namespace ?? ''}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), s]);
  }
  const kube = input.services.map((svc) =>
    toService(svc, slicesByService.get(`${svc.metadata.namespace ?? ''}/${svc.metadata.name}`) ?? [], input, hbonePods),
  );
  const parsed = parseServiceEntries(input.serviceEntries);
  const ctx = { ...input, hbonePods, waypointRef: (b: Binding) => waypointRef(b, input.clusterDomain) };
  const settled = settleHostnames(
    kube,
    parsed.entries.flatMap((e) => serviceEntryServices(e, ctx)),
  );
  const services = settled.services.sort(
    (a, b) =>
      a.creationTimestamp.localeCompare(b.creationTimestamp) ||
      a.hostname.localeCompare(b.hostname) ||
      a.namespace.localeCompare(b.namespace),
  );
  return { services, entries: parsed.entries, problems: [...parsed.problems, ...settled.problems] };
}
