// The API resources Ambit reads and writes, and their REST paths. A fixed table instead of discovery: the kinds are
// known, and a missing CRD then fails with a clear message instead of a discovery error.
import type { KubeObject } from './objects.ts';

export interface Resource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const r = (group: string, version: string, kind: string, plural: string, namespaced = true): Resource => ({
  group,
  version,
  kind,
  plural,
  namespaced,
});

export const resources = {
  namespace: r('', 'v1', 'Namespace', 'namespaces', false),
  configMap: r('', 'v1', 'ConfigMap', 'configmaps'),
  secret: r('', 'v1', 'Secret', 'secrets'),
  service: r('', 'v1', 'Service', 'services'),
  serviceAccount: r('', 'v1', 'ServiceAccount', 'serviceaccounts'),
  pod: r('', 'v1', 'Pod', 'pods'),
  node: r('', 'v1', 'Node', 'nodes', false),
  resourceQuota: r('', 'v1', 'ResourceQuota', 'resourcequotas'),
  deployment: r('apps', 'v1', 'Deployment', 'deployments'),
  daemonSet: r('apps', 'v1', 'DaemonSet', 'daemonsets'),
  clusterRole: r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  clusterRoleBinding: r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  role: r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  roleBinding: r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  podDisruptionBudget: r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets'),
  horizontalPodAutoscaler: r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  lease: r('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  event: r('events.k8s.io', 'v1', 'Event', 'events'),
  networkAttachmentDefinition: r(
    'k8s.cni.cncf.io',
    'v1',
    'NetworkAttachmentDefinition',
    'network-attachment-definitions',
  ),
  endpointSlice: r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  gatewayClass: r('gateway.networking.k8s.io', 'v1', 'GatewayClass', 'gatewayclasses', false),
  gateway: r('gateway.networking.k8s.io', 'v1', 'Gateway', 'gateways'),
  httpRoute: r('gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes'),
  referenceGrant: r('gateway.networking.k8s.io', 'v1', 'ReferenceGrant', 'referencegrants'),
  virtualService: r('networking.istio.io', 'v1', 'VirtualService', 'virtualservices'),
  workloadEntry: r('networking.istio.io', 'v1', 'WorkloadEntry', 'workloadentries'),
  serviceEntry: r('networking.istio.io', 'v1', 'ServiceEntry', 'serviceentries'),
  authorizationPolicy: r('security.istio.io', 'v1', 'AuthorizationPolicy', 'authorizationpolicies'),
  istio: r('sailoperator.io', 'v1', 'Istio', 'istios', false),
  istioRevision: r('sailoperator.io', 'v1', 'IstioRevision', 'istiorevisions', false),
  istioRevisionTag: r('sailoperator.io', 'v1', 'IstioRevisionTag', 'istiorevisiontags', false),
  istioCni: r('sailoperator.io', 'v1', 'IstioCNI', 'istiocnis', false),
  zTunnel: r('sailoperator.io', 'v1', 'ZTunnel', 'ztunnels', false),
} satisfies Record<string, Resource>;

export function apiVersionOf(res: Resource): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

const byKind = new Map(Object.values(resources).map((res) => [`${apiVersionOf(res)}/${res.kind}`, res]));

/** The table entry for an object's apiVersion and kind. */
export function resourceOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): Resource {
  const res = byKind.get(`${obj.apiVersion}/${obj.kind}`);
  if (!res) throw new Error(`no API resource known for ${obj.apiVersion} ${obj.kind}`);
  return res;
}

/** `/api/v1/namespaces/ns/pods/name/status`, `/apis/apps/v1/deployments`, … */
export function resourcePath(res: Resource, namespace?: string, name?: string, subresource?: string): string {
  const base = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  if (res.namespaced && namespace === undefined && name !== undefined) {
    throw new Error(`${res.kind} ${name} is namespaced: a namespace is needed`);
  }
  const ns = res.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${res.plural}${obj}${subresource ? `/${subresource}` : ''}`;
}
