// Builds the xDS model from the API server's objects: Services with their ports, ready endpoints (EndpointSlices)
// and waypoint; ServiceEntries as Services too (../serviceentry), one definition per hostname and namespace; pods,
// WorkloadEntries and ServiceEntry endpoints as workloads (ztunnel's view: addresses, identity, tunnel, waypoint,
// services); waypoints with what they serve; routes and policies translated by ../translate. Pure.
import type { KubeObject } from '../../kube/objects.ts';
import { selects } from '../../kube/label-selector.ts';
import { identityBinding, serviceBinding, workloadBinding, type AmbientView, type Binding } from '../binding.ts';
import { waypointsOf, type Waypoint as AmbientWaypoint } from '../waypoints.ts';
import { enrolled, livePodIp, podReady, podUid } from '../pods.ts';
import {
  parseServiceEntries,
  serviceEntryServices,
  type ServiceEntryProblem,
} from '../serviceentry/service-entries.ts';
import { canonicalLabels, serviceEntryWorkloads } from '../serviceentry/service-entry-workloads.ts';
import { settleHostnames } from '../serviceentry/service-hostnames.ts';
import { authorizationPolicies } from '../translate/authorization.ts';
import { routeTables } from '../translate/routes.ts';
import {
  workloadEntryEndpoints,
  workloadEntryIdentity,
  workloadEntryLabels,
  workloadEntryUid,
  workloadEntryWorkload,
} from '../workload-entries.ts';
import type {
  AuthorizationPolicy,
  Endpoint,
  MeshModel,
  PortProtocol,
  RouteTable,
  Service,
  ServicePort,
  Waypoint,
  WaypointRef,
  Workload,
} from '../../xds/model/model.ts';

/** The API objects the model is built from, as the control plane's caches hold them. */
export interface MeshObjects {
  /** The binding view over every Namespace, Gateway and GatewayClass (the caller may keep it between builds). */
  view: AmbientView;
  /** Cluster-wide, for route attachment: every Namespace, Gateway, GatewayClass and ReferenceGrant. */
  namespaces: KubeObject[];
  clusterGateways: KubeObject[];
  gatewayClasses: KubeObject[];
  referenceGrants: KubeObject[];
  /** The rest only in namespaces the mesh selects; the waypoints are among these Gateways. */
  gateways: KubeObject[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
  pods: KubeObject[];
  workloadEntries: KubeObject[];
  serviceEntries: KubeObject[];
  httpRoutes: KubeObject[];
  virtualServices: KubeObject[];
  authorizationPolicies: KubeObject[];
}

/** Who the model is for: the cluster, network, trust and DNS domains, and the root namespace. */
export interface ModelSettings {
  clusterId: string;
  network: string;
  trustDomain: string;
  clusterDomain: string;
  rootNamespace: string;
}

/** The objects read once: what the builders below share. */
interface MeshInput extends ModelSettings {
  view: AmbientView;
  /** Every usable waypoint, so one with nothing bound still gets its base config. */
  waypoints: AmbientWaypoint[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
  pods: KubeObject[];
  workloadEntries: KubeObject[];
  serviceEntries: KubeObject[];
  routes: RouteTable[];
  authorizationPolicies: AuthorizationPolicy[];
}

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

function waypointRef(b: Binding, clusterDomain: string): WaypointRef | undefined {
  return b.kind === 'bound' ? refTo(b.waypoint, clusterDomain) : undefined;
}

function refTo(w: AmbientWaypoint, clusterDomain: string): WaypointRef {
  const hostname = 'hostname' in w.address ? w.address.hostname : `${w.name}.${w.namespace}.svc.${clusterDomain}`;
  return { namespace: w.namespace, name: w.name, hostname, port: 15008 };
}

function toService(svc: KubeObject, slices: KubeObject[], input: MeshInput, enrolledPods: Set<string>): Service {
  const ns = svc.metadata.namespace ?? '';
  const spec = (svc['spec'] ?? {}) as { clusterIPs?: string[]; clusterIP?: string; ports?: K8sServicePort[] };
  const vips = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip !== 'None');
  const k8sPorts = spec.ports ?? [];
  const ports: ServicePort[] = k8sPorts.map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: p.port,
    targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port,
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
        hbone: uid !== undefined && enrolledPods.has(uid),
        ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      });
    }
  }
  endpoints.push(...workloadEntryEndpoints(svc, input.workloadEntries, ports, input.clusterId));
  endpoints.sort((a, b) => a.address.localeCompare(b.address));
  const waypoint = waypointRef(serviceBinding(input.view, svc), input.clusterDomain);
  return {
    name: svc.metadata.name,
    namespace: ns,
    hostname: `${svc.metadata.name}.${ns}.svc.${input.clusterDomain}`,
    vips,
    ports,
    ...(waypoint ? { waypoint } : {}),
    endpoints,
    creationTimestamp: svc.metadata.creationTimestamp ?? '',
  };
}

/** The workload's name and kind as Istio derives them: a Deployment's from its ReplicaSet, else the owner's. */
function workloadIdentity(pod: KubeObject): { name: string; type: Workload['workloadType'] } {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner?.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`))
    return { name: owner.name.slice(0, -hash.length - 1), type: 'deployment' };
  if (owner?.kind === 'Job') return { name: owner.name, type: 'job' };
  if (owner) return { name: owner.name, type: 'pod' };
  return { name: pod.metadata.name, type: 'pod' };
}

/**
 * The selector policies ztunnel enforces for a workload (its namespace's ALLOW/DENY policies without targetRefs whose
 * selector matches); namespace-wide and root-namespace policies reach it through their scope instead.
 */
function policiesFor(namespace: string, labels: Record<string, string>, input: MeshInput): string[] {
  return input.authorizationPolicies
    .filter((p) => p.targetRefs.length === 0 && (p.action === 'ALLOW' || p.action === 'DENY'))
    .filter((p) => p.namespace === namespace && p.selector && Object.keys(p.selector).length > 0)
    .filter((p) => selects({ matchLabels: p.selector }, labels))
    .map((p) => `${p.namespace}/${p.name}`)
    .sort();
}

function toWorkload(
  pod: KubeObject,
  input: MeshInput,
  memberships: Map<string, Workload['services']>,
): Workload | undefined {
  const podIP = livePodIp(pod);
  if (!podIP) return undefined;
  const podIPs = (pod['status'] as { podIPs?: { ip: string }[] } | undefined)?.podIPs;
  const spec = (pod['spec'] ?? {}) as { serviceAccountName?: string; nodeName?: string };
  const ns = pod.metadata.namespace ?? '';
  const labels = pod.metadata.labels ?? {};
  const uid = podUid(input.clusterId, ns, pod.metadata.name);
  const identity = workloadIdentity(pod);
  const memberOf = memberships.get(uid) ?? {};
  const waypoint = waypointRef(workloadBinding(input.view, pod), input.clusterDomain);
  const [canonicalName, canonicalRevision] = canonicalLabels(labels, identity.name);
  return {
    uid,
    name: pod.metadata.name,
    namespace: ns,
    addresses: podIPs?.map((p) => p.ip) ?? [podIP],
    serviceAccount: spec.serviceAccountName ?? 'default',
    node: spec.nodeName ?? '',
    network: input.network,
    tunnelProtocol: enrolled(pod, input.view) ? 'HBONE' : 'NONE',
    ...(waypoint ? { waypoint } : {}),
    canonicalName,
    canonicalRevision,
    workloadName: identity.name,
    workloadType: identity.type,
    services: memberOf,
    healthy: podReady(pod),
    clusterId: input.clusterId,
    authorizationPolicies: policiesFor(ns, labels, input),
  };
}

const enrolledPodsOf = (input: MeshInput) =>
  new Set(
    input.pods
      .filter((p) => enrolled(p, input.view))
      .map((p) => podUid(input.clusterId, p.metadata.namespace ?? '', p.metadata.name)),
  );

/** Kubernetes Services and ServiceEntries as model Services, one definition per hostname and namespace. */
function meshServices(input: MeshInput, enrolledPods: Set<string>) {
  const slicesByService = new Map<string, KubeObject[]>();
  for (const s of input.endpointSlices) {
    const key = `${s.metadata.namespace ?? ''}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), s]);
  }
  const kube = input.services.map((svc) =>
    toService(
      svc,
      slicesByService.get(`${svc.metadata.namespace ?? ''}/${svc.metadata.name}`) ?? [],
      input,
      enrolledPods,
    ),
  );
  const parsed = parseServiceEntries(input.serviceEntries);
  const ctx = { ...input, enrolledPods, waypointRef: (b: Binding) => waypointRef(b, input.clusterDomain) };
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

/** The objects read once: waypoints among the Gateways, routes and policies translated into the model's terms. */
function meshInput(objects: MeshObjects, settings: ModelSettings): MeshInput {
  return {
    ...settings,
    view: objects.view,
    waypoints: waypointsOf(objects.gateways, objects.gatewayClasses),
    services: objects.services,
    endpointSlices: objects.endpointSlices,
    pods: objects.pods,
    workloadEntries: objects.workloadEntries,
    serviceEntries: objects.serviceEntries,
    routes: routeTables({
      httpRoutes: objects.httpRoutes,
      virtualServices: objects.virtualServices,
      referenceGrants: objects.referenceGrants,
      services: objects.services,
      serviceEntries: objects.serviceEntries,
      namespaces: objects.namespaces,
      gateways: objects.clusterGateways,
      gatewayClasses: objects.gatewayClasses,
      clusterDomain: settings.clusterDomain,
    }),
    authorizationPolicies: authorizationPolicies(objects.authorizationPolicies).policies,
  };
}

/**
 * The model, and why ServiceEntries (or parts of them) are left out of it: unreadable or unsupported fields, and
 * hosts another definition already holds. Problems are for the caller to report; they never stop the build.
 */
export function buildMeshModel(
  objects: MeshObjects,
  settings: ModelSettings,
): { model: MeshModel; problems: ServiceEntryProblem[] } {
  const input = meshInput(objects, settings);
  const { services, entries, problems } = meshServices(input, enrolledPodsOf(input));
  const memberships = new Map<string, Workload['services']>();
  for (const svc of services) {
    for (const e of svc.endpoints) {
      if (!e.workloadUid) continue;
      const m = memberships.get(e.workloadUid) ?? {};
      m[`${svc.namespace}/${svc.hostname}`] = { ...e.ports };
      memberships.set(e.workloadUid, m);
    }
  }
  const ref = (b: Binding) => waypointRef(b, input.clusterDomain);
  const workloadEntries = input.workloadEntries.map((we) =>
    workloadEntryWorkload(we, {
      clusterId: input.clusterId,
      network: input.network,
      services: memberships.get(workloadEntryUid(input.clusterId, we.metadata.namespace ?? '', we.metadata.name)) ?? {},
      policies: policiesFor(we.metadata.namespace ?? '', workloadEntryLabels(we), input),
      waypoint: ref(identityBinding(input.view, workloadEntryIdentity(we))),
    }),
  );
  const entryContext = {
    ...input,
    waypointRef: ref,
    memberships,
    policies: (ns: string, labels: Record<string, string>) => policiesFor(ns, labels, input),
  };
  const workloads = [
    ...input.pods.map((p) => toWorkload(p, input, memberships)),
    ...workloadEntries,
    ...entries.flatMap((e) => serviceEntryWorkloads(e, entryContext)),
  ]
    .filter((w): w is Workload => w !== undefined)
    .sort((a, b) => a.uid.localeCompare(b.uid));
  const waypoints = new Map<string, Waypoint>();
  const waypointOf = (ref: WaypointRef) => {
    const key = `${ref.namespace}/${ref.name}`;
    let w = waypoints.get(key);
    if (!w) {
      w = {
        name: ref.name,
        namespace: ref.namespace,
        hostname: ref.hostname,
        serviceAccount: ref.name,
        services: [],
        workloads: [],
      };
      waypoints.set(key, w);
    }
    return w;
  };
  for (const w of input.waypoints) waypointOf(refTo(w, input.clusterDomain));
  for (const s of services) {
    const served = s.waypoint && waypointOf(s.waypoint).services;
    // A hostname defined in two namespaces (ServiceEntries) is listed once.
    if (served && !served.includes(s.hostname)) served.push(s.hostname);
  }
  for (const w of workloads) if (w.waypoint) waypointOf(w.waypoint).workloads.push(w.uid);
  const model: MeshModel = {
    clusterId: input.clusterId,
    network: input.network,
    trustDomain: input.trustDomain,
    clusterDomain: input.clusterDomain,
    rootNamespace: input.rootNamespace,
    services,
    workloads,
    waypoints: [...waypoints.values()].sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    ),
    routes: input.routes,
    authorizationPolicies: input.authorizationPolicies,
  };
  return { model, problems };
}
