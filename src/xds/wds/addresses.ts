// The WDS Address resources ztunnel subscribes to (type.googleapis.com/istio.workload.Address), one per workload
// and one per Service (a Kubernetes Service or a ServiceEntry host), in protobuf JSON form. Names follow istiod: a
// workload by its UID, a Service by `<namespace>/<hostname>`. Addresses that do not parse as IPs are left out
// (nothing could connect to them).
import type { MeshModel, PortProtocol, Service, WaypointRef, Workload } from '../model/model.ts';
import { base64, parseIp } from '../../net/ip.ts';
import { compact, type Json } from './json.ts';

/** Resource name → `istio.workload.Address`, workloads first, each group in model order. */
export function addressResources(model: MeshModel): Map<string, Json> {
  return new Map([
    ...model.workloads.map((w) => [w.uid, workloadAddress(model, w)] as const),
    ...model.services.map((s) => [serviceResourceName(s), serviceAddress(model, s)] as const),
  ]);
}

/** `<namespace>/<hostname>`: the Service's resource name, and its key in `Workload.services`. */
export function serviceResourceName(service: Pick<Service, 'namespace' | 'hostname'>): string {
  return `${service.namespace}/${service.hostname}`;
}

export function serviceAddress(model: MeshModel, service: Service): Json {
  const vips = service.vips.flatMap((vip) => {
    const bytes = parseIp(vip);
    return bytes ? [bytes] : [];
  });
  const entry = service.serviceEntry;
  return {
    service: compact({
      name: service.name,
      namespace: service.namespace,
      hostname: service.hostname,
      addresses: vips.map((bytes) => compact({ network: model.network, address: base64(bytes) })),
      // A named targetPort is each workload's own number (in its services map), so the Service carries none (istiod).
      ports: service.ports.map((p) =>
        compact({
          servicePort: p.port,
          targetPort: p.targetPortName === undefined ? p.targetPort : undefined,
          appProtocol: appProtocols[p.protocol],
        }),
      ),
      subjectAltNames: entry?.subjectAltNames,
      waypoint: service.waypoint && gatewayAddress(service.waypoint),
      // NONE resolution: ztunnel sends to the address the client dialled, whatever its health.
      loadBalancing:
        entry?.resolution === 'NONE' ? { mode: 'PASSTHROUGH', healthPolicy: 'ALLOW_ALL' } : service.loadBalancing,
      // istiod leaves a ServiceEntry's families AUTOMATIC; a Service states its own (a headless one too).
      ipFamilies: entry ? undefined : (service.ipFamilies ?? ipFamilies(vips)),
      // A Kubernetes Service is the authoritative definition of its hostname; a ServiceEntry only when it was chosen.
      canonical: entry ? entry.canonical : true,
    }),
  };
}

export function workloadAddress(model: MeshModel, workload: Workload): Json {
  const services = Object.entries(workload.services).map(([name, ports]) => [name, portList(ports)] as const);
  return {
    workload: compact({
      uid: workload.uid,
      name: workload.name,
      namespace: workload.namespace,
      addresses: workload.addresses.flatMap((a) => {
        const bytes = parseIp(a);
        return bytes ? [base64(bytes)] : [];
      }),
      network: workload.network,
      tunnelProtocol: workload.tunnelProtocol === 'NONE' ? undefined : workload.tunnelProtocol,
      nativeTunnel: workload.nativeTunnel || undefined,
      // Empty means cluster.local to ztunnel.
      trustDomain: model.trustDomain === 'cluster.local' ? undefined : model.trustDomain,
      serviceAccount: workload.serviceAccount,
      waypoint: workload.waypoint && gatewayAddress(workload.waypoint),
      node: workload.node,
      canonicalName: workload.canonicalName,
      canonicalRevision: workload.canonicalRevision,
      // Always POD, as istiod sends it for every kind of workload (the kind is in the name only).
      workloadType: 'POD',
      workloadName: workload.workloadName,
      services: services.length > 0 ? Object.fromEntries(services) : undefined,
      authorizationPolicies: [...workload.authorizationPolicies].sort(),
      status: workload.healthy ? undefined : 'UNHEALTHY',
      clusterId: workload.clusterId,
    }),
  };
}

/** A waypoint as ztunnel resolves it: by hostname through its own Service table, then HBONE to the port. */
function gatewayAddress(waypoint: WaypointRef): Json {
  return {
    hostname: { namespace: waypoint.namespace, hostname: waypoint.hostname },
    hboneMtlsPort: waypoint.port,
  };
}

function portList(ports: Record<number, number>): Json {
  return {
    ports: Object.entries(ports)
      .map(([servicePort, targetPort]) => ({ servicePort: Number(servicePort), targetPort }))
      .sort((a, b) => a.servicePort - b.servicePort)
      .map((p) => compact(p)),
  };
}

/** From the VIPs, for a Service that states no ipFamilies; none at all is AUTOMATIC. */
function ipFamilies(vips: Uint8Array[]): string | undefined {
  const v4 = vips.some((b) => b.length === 4);
  const v6 = vips.some((b) => b.length === 16);
  if (v4 && v6) return 'DUAL';
  if (v4) return 'IPV4_ONLY';
  if (v6) return 'IPV6_ONLY';
  return undefined;
}

const appProtocols: Record<PortProtocol, string | undefined> = {
  http: 'HTTP11',
  http2: 'HTTP2',
  grpc: 'GRPC',
  tcp: 'TCP',
  tls: 'TLS',
  unknown: undefined,
};
