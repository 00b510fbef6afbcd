// What the control plane may do: watch the cluster for its ambient index and xDS, run the waypoint controller
// (Gateway → ServiceAccount, Deployment, Service, and Gateway/route status), hand out the root certificate and check
// ztunnel's and proxies' tokens. Cluster-wide rules go in the ClusterRole; secrets and the leader lease only in its
// own namespace, through the Role (ConfigMaps there are covered by the cluster-wide root-certificate rule).
import type { PolicyRule } from './rbac.ts';
import { readVerbs, statusVerbs, writeVerbs } from './rbac.ts';

const gatewayApiKinds = ['gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'tcproutes', 'tlsroutes'];

// Istio's configuration kinds the control plane reads, by API group (those src/api/istio defines).
const istioKinds: [group: string, kinds: string[]][] = [
  [
    'networking.istio.io',
    [
      'destinationrules',
      'envoyfilters',
      'gateways',
      'proxyconfigs',
      'serviceentries',
      'sidecars',
      'virtualservices',
      'workloadentries',
      'workloadgroups',
    ],
  ],
  ['security.istio.io', ['authorizationpolicies', 'peerauthentications', 'requestauthentications']],
  ['telemetry.istio.io', ['telemetries']],
  ['extensions.istio.io', ['trafficextensions', 'wasmplugins']],
];

export const controlPlaneClusterRules: PolicyRule[] = [
  // The ambient index: workloads, services and the nodes they run on.
  { apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: readVerbs },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: readVerbs },
  // Waypoints: one ServiceAccount, Deployment and Service per Gateway, and the waypoint binding on Service status.
  { apiGroups: [''], resources: ['serviceaccounts', 'services'], verbs: [...readVerbs, ...writeVerbs] },
  { apiGroups: [''], resources: ['services/status'], verbs: statusVerbs },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: [...readVerbs, ...writeVerbs] },
  // The root certificate (istio-ca-root-cert) in every namespace the mesh reaches.
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: [...gatewayApiKinds, 'referencegrants'], verbs: readVerbs },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: gatewayApiKinds.map((k) => `${k}/status`),
    verbs: statusVerbs,
  },
  // The istio-waypoint GatewayClass is the control plane's own.
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses'], verbs: writeVerbs },
  ...istioKinds.flatMap(([group, kinds]): PolicyRule[] => [
    { apiGroups: [group], resources: kinds, verbs: readVerbs },
    { apiGroups: [group], resources: kinds.map((k) => `${k}/status`), verbs: statusVerbs },
  ]),
  // Which optional kinds (Gateway API, Istio's) are installed.
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: readVerbs },
  // Tokens of ztunnel and proxies asking for certificates or xDS, and who may act for whom.
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  // Events, read back by name to count a repeat.
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['get', 'create', 'patch'] },
];

export const controlPlaneNamespaceRules: PolicyRule[] = [
  // The CA's signing key (istio-ca-secret) and plugged-in certificates (cacerts).
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
  // Leader election between replicas.
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
  },
];
