// WorkloadEntries (networking.istio.io) as Istio treats them: a Kubernetes Service or a ServiceEntry whose selector
// matches a WorkloadEntry's labels in its namespace gets it as an endpoint (ports by the service port's name, else the
// target port), and each WorkloadEntry is a workload in ztunnel's view. This is how VMs and other non-pod workloads —
// and, here, test servers on 127.0.0.1, which EndpointSlices refuse — join Services. Pure.
import type { WorkloadIdentity } from './binding.ts';
import { selects } from '../kube/label-selector.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { Endpoint, WaypointRef, Workload } from '../xds/model/model.ts';
import { canonicalLabels, workloadEntryName } from './workload-names.ts';
import { tunnelOf } from './tunnel.ts';

export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  serviceAccount?: string;
  network?: string;
}

export const workloadEntryUid = (clusterId: string, ns: string, name: string) =>
  `${clusterId}/networking.istio.io/WorkloadEntry/${ns}/${name}`;

const specOf = (we: KubeObject) => (we['spec'] ?? {}) as WorkloadEntrySpec;

/** The labels a Service selector sees: the entry's spec.labels over its metadata labels, as Istio merges them. */
export const workloadEntryLabels = (we: KubeObject): Record<string, string> => ({
  ...we.metadata.labels,
  ...specOf(we).labels,
});

/** How ztunnel reaches the entry's address (tunnel.ts), read from its merged labels and its annotations. */
const workloadEntryTunnel = (we: KubeObject) =>
  tunnelOf({ labels: workloadEntryLabels(we), annotations: we.metadata.annotations });

/** What the workload binding rules read of an entry: its namespace, merged labels and service account. */
export const workloadEntryIdentity = (we: KubeObject): WorkloadIdentity => ({
  namespace: we.metadata.namespace ?? '',
  labels: workloadEntryLabels(we),
  serviceAccount: specOf(we).serviceAccount || 'default',
});

type Ports = { name?: string; port: number; targetPort: number }[];

/** The endpoints a selector Service gets from the WorkloadEntries of its namespace. */
export function workloadEntryEndpoints(
  service: KubeObject,
  entries: KubeObject[],
  ports: Ports,
  clusterId: string,
): Endpoint[] {
  const selector = (service['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
  return selectedWorkloadEntries(service.metadata.namespace ?? '', selector, entries, ports, clusterId);
}

/** The endpoints from the WorkloadEntries of `ns` a (non-empty) selector matches. */
export function selectedWorkloadEntries(
  ns: string,
  selector: Record<string, string> | undefined,
  entries: KubeObject[],
  ports: Ports,
  clusterId: string,
): Endpoint[] {
  if (!selector || Object.keys(selector).length === 0) return [];
  return entries
    .filter((we) => we.metadata.namespace === ns && specOf(we).address)
    .filter((we) => selects({ matchLabels: selector }, workloadEntryLabels(we)))
    .map((we) => {
      const spec = specOf(we);
      const epPorts: Record<number, number> = {};
      for (const p of ports) epPorts[p.port] = (p.name ? spec.ports?.[p.name] : undefined) ?? p.targetPort;
      return {
        workloadUid: workloadEntryUid(clusterId, ns, we.metadata.name),
        address: spec.address ?? '',
        ports: epPorts,
        ready: true,
        hbone: workloadEntryTunnel(we).hbone,
      };
    });
}

/** A WorkloadEntry as a workload of ztunnel's view. */
export function workloadEntryWorkload(
  we: KubeObject,
  opts: {
    clusterId: string;
    network: string;
    services: Workload['services'];
    policies: string[];
    waypoint: WaypointRef | undefined;
  },
): Workload | undefined {
  const spec = specOf(we);
  if (!spec.address) return undefined;
  const ns = we.metadata.namespace ?? '';
  const labels = workloadEntryLabels(we);
  const tunnel = workloadEntryTunnel(we);
  const name = workloadEntryName(we.metadata.name, we.metadata.annotations ?? {}, labels);
  const [canonicalName, canonicalRevision] = canonicalLabels(labels, name);
  return {
    uid: workloadEntryUid(opts.clusterId, ns, we.metadata.name),
    name: we.metadata.name,
    namespace: ns,
    addresses: [spec.address],
    serviceAccount: spec.serviceAccount ?? '',
    node: '',
    network: spec.network || opts.network,
    tunnelProtocol: tunnel.hbone ? 'HBONE' : 'NONE',
    nativeTunnel: tunnel.native,
    ...(opts.waypoint ? { waypoint: opts.waypoint } : {}),
    canonicalName,
    canonicalRevision,
    workloadName: name,
    services: opts.services,
    healthy: true,
    clusterId: opts.clusterId,
    authorizationPolicies: opts.policies,
  };
}
