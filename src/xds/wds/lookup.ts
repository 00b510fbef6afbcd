// On-demand WDS: ztunnel subscribes to names rather than to everything, and asks `<network>/<ip>` for an address it
// has not seen. A name resolves like istiod resolves it: a workload UID; else the workloads with that IP; else a
// Service (by `<namespace>/<hostname>` or VIP) together with the workloads behind it, so the first connection to a
// VIP does not need a second round trip.
import type { MeshModel, Service, Workload } from '../model/model.ts';
import { serviceAddress, serviceResourceName, workloadAddress } from './addresses.ts';
import { base64, formatIp, parseIp } from '../../net/ip.ts';
import type { Json } from './json.ts';

export interface AddressLookup {
  /** Resource name → `istio.workload.Address`, for everything the names resolve to. */
  resources: Map<string, Json>;
  /** Resource name → its `<network>/<ip>` names (the delta xDS Resource.aliases). */
  aliases: Map<string, string[]>;
  /** Names that resolve to nothing; the server lists them as removed so the client stops waiting. */
  notFound: string[];
}

/** The Address resources the names resolve to, keyed by their own resource names. */
export function resolveAddressNames(model: MeshModel, names: string[]): Map<string, Json> {
  return lookupAddresses(model, names).resources;
}

export function lookupAddresses(model: MeshModel, names: string[]): AddressLookup {
  const resources = new Map<string, Json>();
  const aliases = new Map<string, string[]>();
  const notFound: string[] = [];
  const addWorkload = (w: Workload) => {
    resources.set(w.uid, workloadAddress(model, w));
    aliases.set(w.uid, ipNames(w.network, w.addresses));
  };
  const addService = (s: Service) => {
    const name = serviceResourceName(s);
    resources.set(name, serviceAddress(model, s));
    aliases.set(name, ipNames(model.network, s.vips));
    model.workloads.filter((w) => name in w.services).forEach(addWorkload);
  };
  for (const name of names) {
    const found = resolve(model, name);
    if (!found) notFound.push(name);
    else if ('service' in found) addService(found.service);
    else found.workloads.forEach(addWorkload);
  }
  return { resources, aliases, notFound };
}

function resolve(model: MeshModel, name: string): { workloads: Workload[] } | { service: Service } | undefined {
  const workload = model.workloads.find((w) => w.uid === name);
  if (workload) return { workloads: [workload] };
  const ip = networkIp(name);
  if (ip) {
    const workloads = model.workloads.filter((w) => w.network === ip.network && w.addresses.some(ip.is));
    if (workloads.length > 0) return { workloads };
    const service = model.network === ip.network ? model.services.find((s) => s.vips.some(ip.is)) : undefined;
    return service && { service };
  }
  const service = model.services.find((s) => serviceResourceName(s) === name);
  return service && { service };
}

/** `<network>/<ip>` (the network may be empty), with a test for the same IP in any spelling. */
function networkIp(name: string): { network: string; is: (address: string) => boolean } | undefined {
  const slash = name.indexOf('/');
  const bytes = slash < 0 ? undefined : parseIp(name.slice(slash + 1));
  if (!bytes) return undefined;
  const key = base64(bytes);
  return {
    network: name.slice(0, slash),
    is: (address) => {
      const other = parseIp(address);
      return other !== undefined && base64(other) === key;
    },
  };
}

function ipNames(network: string, addresses: string[]): string[] {
  return addresses.flatMap((a) => {
    const bytes = parseIp(a);
    return bytes ? [`${network}/${formatIp(bytes)}`] : [];
  });
}
