// A ServiceEntry (networking.istio.io/v1) read the way istiod's ambient index reads it: hosts, VIPs, ports, resolution
// and inline endpoints. What Ambit cannot use is a problem for the caller to log, never an exception, so one bad
// object costs only itself:
//  - skipped entirely: no hosts; an address that is neither an IP nor a CIDR (istiod drops the entry too); resolution
//    DYNAMIC_DNS (the waypoint would need a dynamic forward proxy) or one Ambit does not know;
//  - left out: a CIDR address wider than one IP (the model's VIPs are single addresses; istiod sends it as a prefix);
//    a port without a valid number; an endpoint whose address is not an IP (a DNS name, a unix socket). So DNS and
//    DNS_ROUND_ROBIN work with IP endpoints only, and an entry that lists neither endpoints nor a selector (istiod
//    would make its hosts themselves the DNS-resolved endpoints) gets no endpoints.
// Without spec.addresses, a host's VIPs are the ones istiod's IP allocator wrote to status.addresses (as istiod's
// ambient index reads them): Ambit serves them but allocates none itself. Pure.
import type { ServiceEntrySpec } from '../../api/istio/workload-entry.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { PortProtocol, ServiceEntryFacts, ServicePort } from '../../xds/model/model.ts';
import { formatIp, parseCidr, parseIp } from '../../net/ip.ts';

export type Resolution = ServiceEntryFacts['resolution'];

export interface InlineEndpoint {
  /** An IP, in canonical text form. */
  address: string;
  /** Port name → the endpoint's port. */
  ports: Record<string, number>;
  labels: Record<string, string>;
  /** Empty when unset, as istiod leaves it. */
  serviceAccount: string;
  network?: string;
}

export interface ParsedServiceEntry {
  /** The object itself, for its labels, annotations and binding. */
  object: KubeObject;
  name: string;
  namespace: string;
  hosts: string[];
  /** Host → its VIPs. */
  vips: Map<string, string[]>;
  ports: ServicePort[];
  resolution: Resolution;
  location: ServiceEntryFacts['location'];
  subjectAltNames: string[];
  endpoints: InlineEndpoint[];
  /** spec.workloadSelector.labels when not empty: WorkloadEntries and pods of the namespace it selects. */
  selector?: Record<string, string>;
  creationTimestamp: string;
}

export interface ParsedEntry {
  /** Absent when the entry is skipped. */
  entry?: ParsedServiceEntry;
  problems: string[];
}

export const autoAllocateLabel = 'networking.istio.io/enable-autoallocate-ip';

const resolutions = new Set<string>(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']);

/** A ServiceEntry port's protocol as istiod parses it (case-insensitive); empty or unknown is sniffed. */
export function serviceEntryProtocol(protocol: string | undefined): PortProtocol {
  const byName: Record<string, PortProtocol> = {
    http: 'http',
    http2: 'http2',
    grpc: 'grpc',
    'grpc-web': 'http',
    https: 'tls',
    tls: 'tls',
    tcp: 'tcp',
    mongo: 'tcp',
    mysql: 'tcp',
    redis: 'tcp',
    // As the Kubernetes Services' UDP ports: ztunnel only carries TCP, the port stays listed.
    udp: 'tcp',
  };
  return (typeof protocol === 'string' ? byName[protocol.toLowerCase()] : undefined) ?? 'unknown';
}

const validPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 65536;

export function parseServiceEntry(se: KubeObject): ParsedEntry {
  const spec = (se['spec'] ?? {}) as Partial<ServiceEntrySpec>;
  const problems: string[] = [];
  const hosts = [...new Set((spec.hosts ?? []).filter((h) => typeof h === 'string' && h !== ''))];
  if (hosts.length === 0) return { problems: ['spec.hosts is empty; the ServiceEntry is skipped'] };
  const resolution = spec.resolution ?? 'NONE';
  if (resolution === 'DYNAMIC_DNS')
    return { problems: ['resolution DYNAMIC_DNS is not supported by Ambit; the ServiceEntry is skipped'] };
  if (!resolutions.has(resolution))
    return { problems: [`resolution "${resolution}" is not known; the ServiceEntry is skipped`] };
  const addresses: string[] = [];
  // Typed as strings, but a stored object is only as good as its CRD's schema: never trust it enough to throw.
  for (const [i, text] of ((spec.addresses ?? []) as unknown[]).entries()) {
    const cidr = parseCidr(String(text));
    if (!cidr)
      return { problems: [`spec.addresses[${i}] "${String(text)}" is not an IP or CIDR; the ServiceEntry is skipped`] };
    if (cidr.length !== cidr.bytes.length * 8) {
      problems.push(
        `spec.addresses[${i}] "${String(text)}" is a CIDR of more than one address, which Ambit does not serve`,
      );
      continue;
    }
    addresses.push(formatIp(cidr.bytes));
  }
  const ports: ServicePort[] = [];
  for (const [i, p] of (spec.ports ?? []).entries()) {
    if (!validPort(p.number)) {
      problems.push(`spec.ports[${i}] has no valid number; the port is left out`);
      continue;
    }
    ports.push({
      ...(p.name ? { name: p.name } : {}),
      port: p.number,
      targetPort: validPort(p.targetPort) ? p.targetPort : p.number,
      protocol: serviceEntryProtocol(p.protocol),
    });
  }
  const endpoints = inlineEndpoints(spec, problems);
  const labels = spec.workloadSelector?.labels ?? {};
  const selector = Object.keys(labels).length > 0 ? { ...labels } : undefined;
  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && !spec.endpoints?.length && !selector)
    problems.push(`resolution ${resolution} without endpoints (the hosts resolved by DNS) is not supported by Ambit`);
  return {
    entry: {
      object: se,
      name: se.metadata.name,
      namespace: se.metadata.namespace ?? '',
      hosts,
      vips: hostVips(se, hosts, addresses, resolution),
      ports,
      resolution,
      location: spec.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' : 'MESH_EXTERNAL',
      subjectAltNames: [...(spec.subjectAltNames ?? [])],
      endpoints,
      ...(selector ? { selector } : {}),
      creationTimestamp: se.metadata.creationTimestamp ?? '',
    },
    problems,
  };
}

function inlineEndpoints(spec: Partial<ServiceEntrySpec>, problems: string[]): InlineEndpoint[] {
  const out: InlineEndpoint[] = [];
  for (const [i, ep] of (spec.endpoints ?? []).entries()) {
    const bytes = typeof ep.address === 'string' ? parseIp(ep.address) : undefined;
    if (!bytes) {
      const what = ep.address === undefined ? 'has no address' : `address "${ep.address}" is not an IP`;
      problems.push(`spec.endpoints[${i}] ${what}; Ambit resolves no DNS names or sockets, the endpoint is left out`);
      continue;
    }
    out.push({
      address: formatIp(bytes),
      ports: { ...ep.ports },
      labels: { ...ep.labels },
      serviceAccount: ep.serviceAccount ?? '',
      ...(ep.network ? { network: ep.network } : {}),
    });
  }
  return out;
}

// istiod's rule: auto-allocated addresses only stand in when the user gave none, resolution is not NONE, the entry
// did not opt out, and the host is not a wildcard.
function hostVips(se: KubeObject, hosts: string[], addresses: string[], resolution: Resolution): Map<string, string[]> {
  const vips = new Map(hosts.map((h) => [h, [...addresses]]));
  const optedOut = se.metadata.labels?.[autoAllocateLabel]?.toLowerCase() === 'false';
  const given = ((se['spec'] as { addresses?: unknown[] } | undefined)?.addresses ?? []).length > 0;
  if (given || optedOut || resolution === 'NONE') return vips;
  const status = (se['status'] as { addresses?: { host?: string; value?: string }[] } | undefined)?.addresses ?? [];
  for (const a of status) {
    const bytes = a.value === undefined ? undefined : parseIp(a.value);
    const list = a.host === undefined ? undefined : vips.get(a.host);
    // Unreadable values are unusable, as istiod treats them.
    if (bytes && list && !a.host?.startsWith('*')) list.push(formatIp(bytes));
  }
  return vips;
}
