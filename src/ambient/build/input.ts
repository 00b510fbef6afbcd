// What the model build reads: the API objects as the control plane's caches hold them, the settings that say who the
// model is for, and those objects read once (waypoints found, routes and policies translated) for the builders.
import type { KubeObject } from '../../kube/objects.ts';
import type { AuthorizationPolicy, RouteTable } from '../../xds/model/model.ts';
import type { AmbientView } from '../binding.ts';
import { authorizationPolicies } from '../translate/authorization.ts';
import { routeTables } from '../translate/routes.ts';
import { waypointsOf, type Waypoint as AmbientWaypoint } from '../waypoints.ts';

/** The API objects the model is built from, as the control plane's caches hold them. */
export interface MeshObjects {
  /** The binding view over every Namespace, Gateway and GatewayClass (the caller may keep it between builds). */
  view: AmbientView;
  /** Cluster-wide, for route attachment: every Namespace, Gateway, GatewayClass and ReferenceGrant. */
  namespaces: KubeObject[];
  clusterGateways: KubeObject[];
  gatewayClasses: KubeObject[];
  referenceGrants: KubeObject[];
  /** The rest only in namespaces the mesh selects; the waypoints are among these Gateways. */
  gateways: KubeObject[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
  pods: KubeObject[];
  workloadEntries: KubeObject[];
  serviceEntries: KubeObject[];
  httpRoutes: KubeObject[];
  virtualServices: KubeObject[];
  authorizationPolicies: KubeObject[];
}

/** Who the model is for: the cluster, network, trust and DNS domains, and the root namespace. */
export interface ModelSettings {
  clusterId: string;
  network: string;
  trustDomain: string;
  clusterDomain: string;
  rootNamespace: string;
}

/** The objects read once: what the builders below share. */
export interface MeshInput extends ModelSettings {
  view: AmbientView;
  /** Every usable waypoint, so one with nothing bound still gets its base config. */
  waypoints: AmbientWaypoint[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
  pods: KubeObject[];
  workloadEntries: KubeObject[];
  serviceEntries: KubeObject[];
  routes: RouteTable[];
  authorizationPolicies: AuthorizationPolicy[];
}

/** The objects read once: waypoints among the Gateways, routes and policies translated into the model's terms. */
export function meshInput(objects: MeshObjects, settings: ModelSettings): MeshInput {
  return {
    ...settings,
    view: objects.view,
    waypoints: waypointsOf(objects.gateways, objects.gatewayClasses),
    services: objects.services,
    endpointSlices: objects.endpointSlices,
    pods: objects.pods,
    workloadEntries: objects.workloadEntries,
    serviceEntries: objects.serviceEntries,
    routes: routeTables({
      httpRoutes: objects.httpRoutes,
      virtualServices: objects.virtualServices,
      referenceGrants: objects.referenceGrants,
      services: objects.services,
      serviceEntries: objects.serviceEntries,
      namespaces: objects.namespaces,
      gateways: objects.clusterGateways,
      gatewayClasses: objects.gatewayClasses,
      clusterDomain: settings.clusterDomain,
    }),
    authorizationPolicies: authorizationPolicies(objects.authorizationPolicies).policies,
  };
}
