// What each parentRef of a mesh (GAMMA) HTTPRoute attaches to: a Service's ports, or every host of a ServiceEntry
// (as istiod turns such a route into one VirtualService per host), nothing (the parent is missing), or someone else's
// business: a parent of another kind (or a ServiceEntry when the caller watches none), or one whose waypoint belongs
// to another controller (that controller programs and reports it, as istiod leaves agentgateway's waypoints alone).
import { useWaypointLabel, useWaypointNamespaceLabel } from '../binding.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { isCoreGroup, type ParentRef } from './gateway-api.ts';
import {
  serviceEntryHosts,
  serviceEntryPorts,
  serviceHostname,
  servicePorts,
  type ClusterIndex,
} from './cluster-index.ts';

/** The controllers whose waypoints Ambit programs: the mesh controller, and the gateway controller istiod also owns. */
export const ourControllers = new Set(['istio.io/mesh-controller', 'istio.io/gateway-controller']);

export type Parent =
  | { kind: 'service'; ref: ParentRef; service: KubeObject; hosts: string[]; ports: number[]; labelled: boolean }
  | { kind: 'missing'; ref: ParentRef; serviceEntry: boolean }
  | { kind: 'no-port'; ref: ParentRef; port: number; labelled: boolean }
  | { kind: 'foreign'; ref: ParentRef }
  | { kind: 'not-service'; ref: ParentRef };

// A parentRef's group defaults to Gateway API's own, so a core Service must say group "" (or "core").
const isServiceRef = (ref: ParentRef) => ref.kind === 'Service' && ref.group !== undefined && isCoreGroup(ref.group);
const isServiceEntryRef = (ref: ParentRef) => ref.kind === 'ServiceEntry' && ref.group === 'networking.istio.io';

/** The route's parentRefs, each once (as written first), resolved. */
export function routeParents(route: KubeObject, index: ClusterIndex): Parent[] {
  const refs = (route['spec'] as { parentRefs?: ParentRef[] } | undefined)?.parentRefs ?? [];
  const routeNs = route.metadata.namespace ?? '';
  const seen = new Set<string>();
  const out: Parent[] = [];
  for (const ref of refs) {
    const namespace = ref.namespace ?? routeNs;
    // An absent group is not "" here (see isServiceRef), so the key keeps the group as written.
    const id = JSON.stringify([ref.group ?? null, ref.kind ?? null, namespace, ref.name, ref.port, ref.sectionName]);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(resolveParent(ref, namespace, index));
  }
  return out;
}

function resolveParent(ref: ParentRef, namespace: string, index: ClusterIndex): Parent {
  const entry = isServiceEntryRef(ref);
  if (!isServiceRef(ref) && !(entry && index.knowsServiceEntries)) return { kind: 'not-service', ref };
  const service = entry ? index.serviceEntry(namespace, ref.name) : index.service(namespace, ref.name);
  if (!service) return { kind: 'missing', ref, serviceEntry: entry };
  const nsLabels = index.namespace(namespace)?.metadata.labels ?? {};
  if (foreignWaypoint(service.metadata.labels ?? {}, nsLabels, namespace, index)) return { kind: 'foreign', ref };
  const ports = entry ? serviceEntryPorts(service) : servicePorts(service);
  const labelled = asksForWaypoint(service.metadata.labels ?? {}) || asksForWaypoint(nsLabels);
  if (ref.port !== undefined && !ports.includes(ref.port)) return { kind: 'no-port', ref, port: ref.port, labelled };
  return {
    kind: 'service',
    ref,
    service,
    hosts: entry ? serviceEntryHosts(service) : [serviceHostname(ref.name, namespace, index.clusterDomain)],
    ports: ref.port === undefined ? ports : [ref.port],
    labelled,
  };
}

const asksForWaypoint = (labels: Record<string, string>) => {
  const value = labels[useWaypointLabel];
  return value !== undefined && value !== '' && value.toLowerCase() !== 'none';
};

// The waypoint named by the parent's label (else its namespace's), whatever its readiness, and its class's
// controller: a class we do not know of is not foreign (the built-in istio-waypoint class may not exist yet).
function foreignWaypoint(
  parentLabels: Record<string, string>,
  nsLabels: Record<string, string>,
  namespace: string,
  index: ClusterIndex,
): boolean {
  const labels = parentLabels[useWaypointLabel] !== undefined ? parentLabels : nsLabels;
  if (!asksForWaypoint(labels)) return false;
  const gateway = index.gateway(labels[useWaypointNamespaceLabel] || namespace, labels[useWaypointLabel] ?? '');
  const className = (gateway?.['spec'] as { gatewayClassName?: string } | undefined)?.gatewayClassName;
  const cls = className === undefined ? undefined : index.gatewayClass(className);
  const controller = (cls?.['spec'] as { controllerName?: string } | undefined)?.controllerName;
  return controller !== undefined && !ourControllers.has(controller);
}
