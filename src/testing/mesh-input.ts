// The model builder's objects from one list of API objects, and the settings the tests build for: for tests that
// describe a cluster as objects (the control plane lists the same kinds from its caches).
import type { KubeObject } from '../kube/objects.ts';
import { ambientView } from '../ambient/view.ts';
import type { MeshObjects, ModelSettings } from '../ambient/build/input.ts';

export function meshObjectsOf(objects: KubeObject[]): MeshObjects {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    view: ambientView(of('Namespace'), of('Gateway'), of('GatewayClass')),
    namespaces: of('Namespace'),
    clusterGateways: of('Gateway'),
    gatewayClasses: of('GatewayClass'),
    referenceGrants: of('ReferenceGrant'),
    gateways: of('Gateway'),
    services: of('Service'),
    endpointSlices: of('EndpointSlice'),
    pods: of('Pod'),
    workloadEntries: of('WorkloadEntry'),
    serviceEntries: of('ServiceEntry'),
    httpRoutes: of('HTTPRoute'),
    virtualServices: of('VirtualService'),
    authorizationPolicies: of('AuthorizationPolicy'),
  };
}

export const testModelSettings = (network = ''): ModelSettings => ({
  clusterId: 'Kubernetes',
  network,
  trustDomain: 'cluster.local',
  clusterDomain: 'cluster.local',
  rootNamespace: 'istio-system',
});
