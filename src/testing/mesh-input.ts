// The model builder's input from a list of API objects, as the control plane assembles it from its caches (without
// routes): for tests that describe a cluster as objects.
import type { KubeObject } from '../kube/objects.ts';
import { ambientView } from '../ambient/view.ts';
import { waypointsOf } from '../ambient/waypoints.ts';
import type { MeshInput } from '../ambient/build/mesh-model.ts';
import { authorizationPolicies } from '../ambient/translate/authorization.ts';

export function meshInputOf(objects: KubeObject[], network = ''): MeshInput {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    clusterId: 'Kubernetes',
    network,
    trustDomain: 'cluster.local',
    clusterDomain: 'cluster.local',
    rootNamespace: 'istio-system',
    view: ambientView(of('Namespace'), of('Gateway'), of('GatewayClass')),
    waypoints: waypointsOf(of('Gateway'), of('GatewayClass')),
    services: of('Service'),
    endpointSlices: of('EndpointSlice'),
    pods: of('Pod'),
    workloadEntries: of('WorkloadEntry'),
    serviceEntries: of('ServiceEntry'),
    routes: [],
    authorizationPolicies: authorizationPolicies(of('AuthorizationPolicy')).policies,
  };
}
