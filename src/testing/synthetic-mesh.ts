// A mesh at the size the xDS side is benchmarked at (1,000 Services, 10,000 endpoints, 100 waypoints), for the
// generator's scale test and `make bench`.
import type { MeshModel, RouteTable, Service, Waypoint } from '../xds/model/model.ts';

const NAMESPACES = 50;
const WAYPOINTS_PER_NAMESPACE = 2;
const SERVICES_PER_NAMESPACE = 20;
const ENDPOINTS_PER_SERVICE = 10;

/** 50 namespaces × (2 waypoints, 20 Services × 10 endpoints); a route on every fourth Service; a policy per waypoint. */
export function syntheticMesh(): MeshModel {
  const services: Service[] = [];
  const waypoints: Waypoint[] = [];
  const routes: RouteTable[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `ns-${n}`;
    for (let w = 0; w < WAYPOINTS_PER_NAMESPACE; w++) {
      const name = `waypoint-${w}`;
      waypoints.push({
        name,
        namespace,
        hostname: `${name}.${namespace}.svc.cluster.local`,
        serviceAccount: name,
        services: [],
        workloads: [],
      });
    }
    for (let s = 0; s < SERVICES_PER_NAMESPACE; s++) {
      const waypoint = waypoints[n * WAYPOINTS_PER_NAMESPACE + (s % WAYPOINTS_PER_NAMESPACE)] as Waypoint;
      const hostname = `svc-${s}.${namespace}.svc.cluster.local`;
      waypoint.services.push(hostname);
      services.push({
        name: `svc-${s}`,
        namespace,
        hostname,
        vips: [`10.${n}.${s}.1`],
        ports: [
          { port: 80, targetPort: 8080, protocol: 'http' },
          { port: 9000, targetPort: 9000, protocol: 'unknown' },
        ],
        waypoint: { namespace, name: waypoint.name, hostname: waypoint.hostname, port: 15008 },
        endpoints: Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, e) => ({
          address: `10.${100 + n}.${s}.${e + 1}`,
          ports: {},
          ready: true,
          hbone: e % 2 === 0,
        })),
        creationTimestamp: `2026-01-01T00:00:${String(s).padStart(2, '0')}Z`,
      });
      if (s % 4 === 0) {
        routes.push({
          host: hostname,
          port: 80,
          sources: [`HTTPRoute/${namespace}/svc-${s}`],
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/v2' } }],
              backends: [
                { host: hostname, port: 80, weight: 90 },
                { host: `svc-${s + 1}.${namespace}.svc.cluster.local`, port: 80, weight: 10 },
              ],
            },
          ],
        });
      }
    }
  }
  return {
    clusterId: 'Kubernetes',
    network: '',
    trustDomain: 'cluster.local',
    clusterDomain: 'cluster.local',
    rootNamespace: 'istio-system',
    services,
    workloads: [],
    waypoints,
    routes,
    authorizationPolicies: waypoints.map((w) => ({
      name: `allow-${w.name}`,
      namespace: w.namespace,
      action: 'ALLOW' as const,
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: w.name }],
      rules: [{ from: [{ source: { namespaces: [w.namespace] } }] }],
    })),
  };
}

export const syntheticMeshSize = { NAMESPACES, WAYPOINTS_PER_NAMESPACE, SERVICES_PER_NAMESPACE, ENDPOINTS_PER_SERVICE };
