// A ServiceEntry's inline endpoints as workloads of ztunnel's view, as istiod makes them: named after the entry, UID
// `<cluster>/networking.istio.io/ServiceEntry/<ns>/<name>/<address>`, canonical labels, policies and tunnel from the
// entry, a workload waypoint from the endpoint's own labels. An entry whose every host lost to another definition
// (service-hostnames.ts) sends no endpoints, so they have no workload either. Pure.
import { identityBinding, type AmbientView, type Binding } from '../binding.ts';
import type { WaypointRef, Workload } from '../../xds/model/model.ts';
import { serviceEntryUid } from './service-entries.ts';
import type { ParsedServiceEntry } from './service-entry-spec.ts';
import { tunnelOf } from '../tunnel.ts';
import { canonicalLabels } from '../workload-names.ts';

export interface EntryWorkloadContext {
  clusterId: string;
  network: string;
  view: AmbientView;
  waypointRef: (b: Binding) => WaypointRef | undefined;
  /** Workload UID → the services it is an endpoint of (only the hosts that stayed). */
  memberships: Map<string, Workload['services']>;
  /** The selector policies ztunnel enforces for a workload of that namespace with those labels. */
  policies: (namespace: string, labels: Record<string, string>) => string[];
}

export function serviceEntryWorkloads(entry: ParsedServiceEntry, ctx: EntryWorkloadContext): Workload[] {
  const seLabels = entry.object.metadata.labels ?? {};
  const [canonicalName, canonicalRevision] = canonicalLabels(seLabels, entry.name);
  const tunnel = tunnelOf(entry.object.metadata);
  const out = new Map<string, Workload>();
  for (const ep of entry.endpoints) {
    const uid = serviceEntryUid(ctx.clusterId, entry.namespace, entry.name, ep.address);
    const services = ctx.memberships.get(uid);
    // The same address twice is one workload; the first endpoint's fields win.
    if (!services || out.has(uid)) continue;
    const binding = identityBinding(ctx.view, {
      namespace: entry.namespace,
      labels: ep.labels,
      serviceAccount: ep.serviceAccount || 'default',
    });
    const waypoint = ctx.waypointRef(binding);
    out.set(uid, {
      uid,
      name: entry.name,
      namespace: entry.namespace,
      addresses: [ep.address],
      serviceAccount: ep.serviceAccount,
      node: '',
      network: ep.network ?? ctx.network,
      tunnelProtocol: tunnel.hbone ? 'HBONE' : 'NONE',
      nativeTunnel: tunnel.native,
      ...(waypoint ? { waypoint } : {}),
      canonicalName,
      canonicalRevision,
      workloadName: entry.name,
      services,
      healthy: true,
      clusterId: ctx.clusterId,
      // istiod selects them by the entry's labels, not the endpoint's.
      authorizationPolicies: ctx.policies(entry.namespace, seLabels),
    });
  }
  return [...out.values()];
}
