// Builds the xDS model from the API server's objects: Services (./services.ts, ServiceEntries included), workloads
// (./workloads.ts: pods, WorkloadEntries, ServiceEntry endpoints), and waypoints with what they serve; routes and
// policies translated by ../translate. Pure.
import type { MeshModel, Waypoint, WaypointRef } from '../../xds/model/model.ts';
import type { ServiceEntryProblem } from '../serviceentry/service-entries.ts';
import { meshInput, type MeshObjects, type ModelSettings } from './input.ts';
import { hbonePodsOf, meshServices } from './services.ts';
import { refTo } from './waypoint-refs.ts';
import { meshWorkloads } from './workloads.ts';
/**
 * The model, and why ServiceEntries (or parts of them) are left out of it: unreadable or unsupported fields, and
 * hosts another definition already holds. Problems are for the caller to report; they never stop the build.
 */
export function buildMeshModel(
  objects: MeshObjects,
  settings: ModelSettings,
): { model: MeshModel; problems: ServiceEntryProblem[] } {
  const input = meshInput(objects, settings);
  const { services, entries, problems } = meshServices(input, hbonePodsOf(input));
  const workloads = meshWorkloads(input, services, entries);
  const waypoints = new Map<string, Waypoint>();
  const waypointOf = (ref: WaypointRef) => {
    const key = `${ref.namespace}/${ref.name}`;
    let w = waypoints.get(key);
    if (!w) {
      w = {
        name: ref.name,
        namespace: ref.namespace,
        hostname: ref.hostname,
        serviceAccount: ref.name,
        services: [],
        workloads: [],
      };
      waypoints.set(key, w);
    }
    return w;
  };
  for (const w of input.waypoints) waypointOf(refTo(w, input.clusterDomain));
  for (const s of services) {
    const served = s.waypoint && waypointOf(s.waypoint).services;
    // A hostname defined in two namespaces (ServiceEntries) is listed once.
    if (served && !served.includes(s.hostname)) served.push(s.hostname);
  }
  for (const w of workloads) if (w.waypoint) waypointOf(w.waypoint).workloads.push(w.uid);
  const model: MeshModel = {
    clusterId: input.clusterId,
    network: input.network,
    trustDomain: input.trustDomain,
    clusterDomain: input.clusterDomain,
    rootNamespace: input.rootNamespace,
    services,
    workloads,
    waypoints: [...waypoints.values()].sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    ),
    routes: input.routes,
    authorizationPolicies: input.authorizationPolicies,
  };
  return { model, problems };
}
