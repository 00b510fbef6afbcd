// WorkloadEntries (networking.istio.io) as Istio treats them: a Kubernetes Service whose selector matches a
// WorkloadEntry's labels in its namespace gets it as an endpoint (ports by the Service port's name, else the target
// port), and each WorkloadEntry is a workload in ztunnel's view. This is how VMs and other non-pod workloads — and,
// here, test servers on 127.0.0.1, which EndpointSlices refuse — join Services. Pure.
import type { KubeObject } from '../kube/objects.ts';
import type { Endpoint, Workload } from './model.ts';

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

/** Whether the entry's traffic is captured by ztunnel (HBONE): the ambient redirection annotation, as istiod reads. */
const captured = (we: KubeObject) => we.metadata.annotations?.['ambient.istio.io/redirection'] === 'enabled';

/** The endpoints a selector Service gets from the WorkloadEntries of its namespace. */
export function workloadEntryEndpoints(
  service: KubeObject,
  entries: KubeObject[],
  ports: { name?: string; port: number; targetPort: number }[],
  clusterId: string,
): Endpoint[] {
  const selector = (service['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const ns = service.metadata.namespace ?? '';
  return entries
    .filter((we) => we.metadata.namespace === ns && specOf(we).address)
    .filter((we) => {
      const labels = workloadEntryLabels(we);
      return Object.entries(selector).every(([k, v]) => labels[k] === v);
    })
    .map((we) => {
      const spec = specOf(we);
      const epPorts: Record<number, number> = {};
      for (const p of ports) epPorts[p.port] = (p.name ? spec.ports?.[p.name] : undefined) ?? p.targetPort;
      return {
        workloadUid: workloadEntryUid(clusterId, ns, we.metadata.name),
        address: spec.address ?? '',
        ports: epPorts,
        ready: true,
        hbone: captured(we),
      };
    });
}

/** A WorkloadEntry as a workload of ztunnel's view. */
export function workloadEntryWorkload(
  we: KubeObject,
  opts: { clusterId: string; network: string; services: Workload['services']; policies: string[] },
): Workload | undefined {
  const spec = specOf(we);
  if (!spec.address) return undefined;
  const ns = we.metadata.namespace ?? '';
  const labels = workloadEntryLabels(we);
  return {
    uid: workloadEntryUid(opts.clusterId, ns, we.metadata.name),
    name: we.metadata.name,
    namespace: ns,
    addresses: [spec.address],
    serviceAccount: spec.serviceAccount ?? 'default',
    node: '',
    network: spec.network ?? opts.network,
    tunnelProtocol: captured(we) ? 'HBONE' : 'NONE',
    canonicalName: labels['service.istio.io/canonical-name'] ?? labels['app'] ?? we.metadata.name,
    canonicalRevision: labels['service.istio.io/canonical-revision'] ?? labels['version'] ?? 'latest',
    workloadName: we.metadata.name,
    workloadType: 'pod',
    services: opts.services,
    healthy: true,
    clusterId: opts.clusterId,
    authorizationPolicies: opts.policies,
  };
}
