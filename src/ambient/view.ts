// The binding rules' view of the cluster, built from the namespaces, Gateways and GatewayClasses the caches hold.
import type { KubeObject } from '../kube/objects.ts';
import type { AmbientView } from './binding.ts';
import { waypointsOf, type Waypoint } from './waypoints.ts';

export function ambientView(
  namespaces: KubeObject[],
  gateways: KubeObject[],
  gatewayClasses: KubeObject[],
): AmbientView {
  const nsByName = new Map(namespaces.map((n) => [n.metadata.name, n]));
  const waypoints = new Map<string, Waypoint>();
  const bySa = new Map<string, Waypoint>();
  for (const w of waypointsOf(gateways, gatewayClasses)) {
    waypoints.set(`${w.namespace}/${w.name}`, w);
    if (w.forServiceAccount) bySa.set(`${w.namespace}/${w.forServiceAccount}`, w);
  }
  return {
    namespace: (name) => nsByName.get(name),
    waypoint: (namespace, name) => waypoints.get(`${namespace}/${name}`),
    serviceAccountWaypoint: (namespace, sa) => bySa.get(`${namespace}/${sa}`),
  };
}
