// What the waypoint renderer is given: the Gateway and everything the controller looked up for it. The renderer does
// no I/O, so the controller fetches the ConfigMaps and the live Deployment and passes their contents in here.
import type { Values } from '../../api/values.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { isTree } from '../values/tree.ts';

export interface WaypointInput {
  /** A gateway.networking.k8s.io/v1 Gateway: metadata (uid, labels, annotations) and spec (listeners, infrastructure). */
  gateway: KubeObject;
  /** The value of gateway.istio.io/managed: the controller name with '/' as '-', e.g. istio.io-mesh-controller. */
  controllerLabel: string;
  /** The control plane's revision, 'default' when it has none: the pods' istio.io/rev annotation. */
  revision: string;
  /** The control plane's namespace, where CA_ADDR points. */
  istioNamespace: string;
  /** The IstioRevision's values. values.revision ('' for the default revision) names the istiod Service. */
  values: Values;
  /** The mesh's trust domain (cluster.local by default). */
  trustDomain: string;
  /** The cluster's DNS domain, e.g. cluster.local. */
  clusterDomain: string;
  /** The proxy image, already resolved: <hub>/proxyv2:<tag>[-<variant>]. */
  proxyImage: string;
  /**
   * The proxy's ProxyConfig (the mesh's defaultConfig, merged with any ProxyConfig resources that select the
   * waypoint), sent as PROXY_CONFIG. When absent, the defaultConfig the revision's mesh ConfigMap carries.
   */
  proxyConfig?: Record<string, unknown> | undefined;
  /** The live Deployment of the waypoint, if any: a selector it has from before Istio 1.24 is kept (immutable). */
  existingDeployment?: KubeObject | undefined;
  /** Data of the oldest ConfigMap labelled gateway.istio.io/defaults-for-class=<class> in the control plane's namespace. */
  classDefaults?: Record<string, string> | undefined;
  /** Data of the ConfigMap spec.infrastructure.parametersRef names; undefined when there is no such ConfigMap. */
  parameters?: Record<string, string> | undefined;
}

export const gatewayNameLabel = 'gateway.networking.k8s.io/gateway-name';
export const gatewayClassLabel = 'gateway.networking.k8s.io/gateway-class-name';
export const managedLabel = 'gateway.istio.io/managed';
export const networkLabel = 'topology.istio.io/network';
export const nameOverrideAnnotation = 'gateway.istio.io/name-override';
export const serviceAccountAnnotation = 'gateway.istio.io/service-account';
export const serviceTypeAnnotation = 'networking.istio.io/service-type';

/** The Gateway fields the renderer reads. */
export interface GatewayListener {
  name?: string;
  port: number;
  protocol: string;
}

export interface LocalParametersReference {
  group?: string;
  kind?: string;
  name?: string;
}

export interface GatewayInfrastructure {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  parametersRef?: LocalParametersReference | null;
}

export interface GatewaySpec {
  gatewayClassName: string;
  listeners?: GatewayListener[];
  addresses?: { type?: string; value: string }[];
  infrastructure?: GatewayInfrastructure | null;
}

export function gatewaySpec(gateway: KubeObject): GatewaySpec {
  const spec = gateway['spec'];
  return isTree(spec) ? (spec as unknown as GatewaySpec) : { gatewayClassName: '' };
}

export interface WaypointNames {
  /** The Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget. */
  deployment: string;
  serviceAccount: string;
}

/**
 * Waypoint classes add no suffix (since Istio 1.22), so everything is named like the Gateway unless its annotations
 * say otherwise.
 */
export function waypointNames(gateway: KubeObject): WaypointNames {
  const annotations = gateway.metadata.annotations ?? {};
  const name = gateway.metadata.name;
  return {
    deployment: annotations[nameOverrideAnnotation] || name,
    serviceAccount: annotations[serviceAccountAnnotation] || name,
  };
}

// Annotations that steer the controller itself, never copied to what it renders.
const controllerAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  nameOverrideAnnotation,
  serviceAccountAnnotation,
  'gateway.istio.io/controller-version',
];

export interface InfrastructureMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * The labels and annotations every rendered object carries: spec.infrastructure's when it sets them (less the
 * gateway.networking.k8s.io/ keys, which the Gateway API reserves), else the Gateway's own, as istiod copies them.
 * Annotations are without the ones addressed to the controller.
 */
export function infrastructureMetadata(gateway: KubeObject): InfrastructureMetadata {
  const infrastructure = gatewaySpec(gateway).infrastructure ?? undefined;
  const pick = (infra: Record<string, string> | null | undefined, own: Record<string, string> | undefined) =>
    infra ? withoutReservedKeys(infra) : { ...own };
  const labels = pick(infrastructure?.labels, gateway.metadata.labels);
  const annotations = pick(infrastructure?.annotations, gateway.metadata.annotations);
  for (const key of controllerAnnotations) Reflect.deleteProperty(annotations, key);
  return { labels, annotations };
}

function withoutReservedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([key]) => !key.startsWith('gateway.networking.k8s.io/')));
}

/** The Service type: the class's (ClusterIP, LoadBalancer for east-west gateways) unless the Gateway names one. */
export function serviceType(input: WaypointInput): string {
  const annotated = input.gateway.metadata.annotations?.[serviceTypeAnnotation];
  if (annotated) return annotated;
  return input.controllerLabel === eastWestControllerLabel ? 'LoadBalancer' : 'ClusterIP';
}

export const eastWestControllerLabel = 'istio.io-eastwest-controller';
