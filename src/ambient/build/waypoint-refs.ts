// How the model refers to a waypoint: by namespace, name and the hostname ztunnel dials on the HBONE port (the
// Gateway's hostname address, else its Service's name in the cluster domain).
import type { WaypointRef } from '../../xds/model/model.ts';
import type { Binding } from '../binding.ts';
import type { Waypoint as AmbientWaypoint } from '../waypoints.ts';

/** The waypoint a binding names, when it is bound to one. */
export function waypointRef(b: Binding, clusterDomain: string): WaypointRef | undefined {
  return b.kind === 'bound' ? refTo(b.waypoint, clusterDomain) : undefined;
}

export function refTo(w: AmbientWaypoint, clusterDomain: string): WaypointRef {
  const hostname = 'hostname' in w.address ? w.address.hostname : `${w.name}.${w.namespace}.svc.${clusterDomain}`;
  return { namespace: w.namespace, name: w.name, hostname, port: 15008 };
}
