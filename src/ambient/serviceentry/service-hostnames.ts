// One definition per hostname and namespace, as istiod's ambient index settles it when Services and ServiceEntries
// (or several ServiceEntries) name the same host: in a namespace a Kubernetes Service wins, else the oldest
// ServiceEntry; the others' hosts are left out. Across namespaces each keeps its own, and one is canonical: the
// Kubernetes Service if there is one, else the oldest ServiceEntry. Pure.
import type { Service } from '../../xds/model/model.ts';
import type { ServiceEntryProblem } from './service-entries.ts';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Oldest first; the name breaks ties so the outcome does not depend on input order.
const older = (a: Service, b: Service) =>
  compare(a.creationTimestamp, b.creationTimestamp) || compare(a.namespace, b.namespace) || compare(a.name, b.name);

const isKube = (s: Service) => s.serviceEntry === undefined;

/** The Services and ServiceEntry Services that stay, ServiceEntry ones marked canonical or not, and who lost. */
export function settleHostnames(
  kube: Service[],
  entries: Service[],
): { services: Service[]; problems: ServiceEntryProblem[] } {
  const byHost = new Map<string, Service[]>();
  for (const s of [...kube, ...entries]) byHost.set(s.hostname, [...(byHost.get(s.hostname) ?? []), s]);
  const services: Service[] = [];
  const problems: ServiceEntryProblem[] = [];
  for (const group of byHost.values()) {
    const winners = new Map<string, Service>();
    for (const s of [...group].sort((a, b) => Number(isKube(b)) - Number(isKube(a)) || older(a, b))) {
      const winner = winners.get(s.namespace);
      if (!winner) winners.set(s.namespace, s);
      else if (s.serviceEntry) problems.push(lost(s, winner));
    }
    const kept = [...winners.values()];
    const canonical = kept.some(isKube) ? undefined : [...kept].sort(older)[0];
    for (const s of kept) {
      if (s.serviceEntry) services.push({ ...s, serviceEntry: { ...s.serviceEntry, canonical: s === canonical } });
      else services.push(s);
    }
  }
  problems.sort((a, b) => compare(a.serviceEntry, b.serviceEntry) || compare(a.message, b.message));
  return { services, problems };
}

function lost(s: Service, winner: Service): ServiceEntryProblem {
  const by = winner.serviceEntry ? `the older ServiceEntry ${winner.name}` : `Service ${winner.name}`;
  return {
    serviceEntry: `${s.namespace}/${s.name}`,
    message: `host "${s.hostname}" is already defined in namespace ${s.namespace} by ${by}; this entry's host is left out`,
  };
}
