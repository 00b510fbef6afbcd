// /debug/ambient: the ambient index read-only, in the shape `istioctl ztunnel-config workloads|services` shows
// (namespace, name, address, node, waypoint, protocol), so a CLI can print it; ServiceEntries separately, with their
// hosts, VIPs, service waypoint and what of them the model cannot use (unsupported fields, a host defined twice).
import type { KubeObject } from '../kube/objects.ts';
import { serviceBinding, workloadBinding, type Binding } from '../ambient/binding.ts';
import { tunnelOf } from '../ambient/tunnel.ts';
import { parseServiceEntry } from '../ambient/serviceentry/service-entry-spec.ts';
import { serviceEntryProblems } from '../ambient/serviceentry/problems.ts';
import type { ControlPlaneCaches } from '../../controllers/control-plane/common/caches.ts';
import type { MeshSettings } from '../../controllers/control-plane/common/mesh-config.ts';
import { namespaceInScope } from '../../controllers/control-plane/common/scope.ts';

const waypointOf = (b: Binding) =>
  b.kind === 'bound'
    ? `${b.waypoint.namespace}/${b.waypoint.name}`
    : b.kind === 'error'
      ? `error: ${b.reason}`
      : 'None';

export function ambientDebug(caches: ControlPlaneCaches, mesh: MeshSettings, clusterDomain: string) {
  const view = caches.ambientView();
  const inScope = (o: KubeObject) =>
    namespaceInScope(caches.namespaces.get(o.metadata.namespace ?? ''), mesh.discoverySelectors);
  const workloads = caches.pods.list(inScope).map((p) => {
    const status = (p['status'] ?? {}) as { podIP?: string };
    const spec = (p['spec'] ?? {}) as { nodeName?: string; serviceAccountName?: string };
    return {
      namespace: p.metadata.namespace,
      name: p.metadata.name,
      address: status.podIP ?? '',
      node: spec.nodeName ?? '',
      serviceAccount: spec.serviceAccountName ?? 'default',
      waypoint: waypointOf(workloadBinding(view, p)),
      protocol: tunnelOf(p.metadata).hbone ? 'HBONE' : 'TCP',
    };
  });
  const kubeServices = caches.services.list(inScope);
  const services = kubeServices.map((s) => ({
    namespace: s.metadata.namespace,
    name: s.metadata.name,
    address: (s['spec'] as { clusterIP?: string } | undefined)?.clusterIP ?? '',
    waypoint: waypointOf(serviceBinding(view, s)),
  }));
  const id = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const entries = caches.serviceEntries.list(inScope).sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  const problems = serviceEntryProblems(kubeServices, entries, clusterDomain);
  const serviceEntries = entries.map((se) => {
    const { entry } = parseServiceEntry(se);
    return {
      namespace: se.metadata.namespace,
      name: se.metadata.name,
      hosts: entry?.hosts ?? [],
      addresses: [...new Set([...(entry?.vips.values() ?? [])].flat())],
      waypoint: waypointOf(serviceBinding(view, se)),
      problems: problems.filter((p) => p.serviceEntry === id(se)).map((p) => p.message),
    };
  });
  return { workloads, services, serviceEntries };
}
