// The labels, annotations and owner every waypoint object shares, and the network the proxy is on.
import type { ObjectMeta, OwnerReference } from '../../kube/objects.ts';
import { nonEmpty } from '../context.ts';
import { WaypointRenderError } from './errors.ts';
import type { WaypointInput, WaypointNames } from './input.ts';
import {
  gatewayClassLabel,
  gatewayNameLabel,
  gatewaySpec,
  infrastructureMetadata,
  managedLabel,
  networkLabel,
  waypointNames,
} from './input.ts';

export interface WaypointMeta {
  names: WaypointNames;
  namespace: string;
  gatewayName: string;
  className: string;
  controllerLabel: string;
  /** The infrastructure labels, with the labels the controller adds (network; dataplane mode for other classes). */
  infrastructureLabels: Record<string, string>;
  /** The infrastructure annotations without the controller's own. */
  annotations: Record<string, string>;
  /** What every object is labelled with: the infrastructure labels, the Gateway's name and class, the managed label. */
  labels: Record<string, string>;
  owner: OwnerReference;
  /** The proxy's network (ISTIO_META_NETWORK), if any. */
  network: string | undefined;
}

export function waypointMeta(input: WaypointInput): WaypointMeta {
  const { gateway } = input;
  const { name, namespace = '', uid } = gateway.metadata;
  if (!uid) throw new WaypointRenderError('Invalid', `Gateway ${namespace}/${name} has no uid yet`);
  const className = gatewaySpec(gateway).gatewayClassName;
  const infra = infrastructureMetadata(gateway);
  const infrastructureLabels = withLabelOverrides(input, className, infra.labels);
  const globalNetwork = input.values.global?.network;
  return {
    names: waypointNames(gateway),
    namespace,
    gatewayName: name,
    className,
    controllerLabel: input.controllerLabel,
    infrastructureLabels,
    annotations: infra.annotations,
    labels: sorted({
      ...infrastructureLabels,
      [gatewayNameLabel]: name,
      [gatewayClassLabel]: className,
      [managedLabel]: input.controllerLabel,
    }),
    owner: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name, uid, controller: true },
    network: infrastructureLabels[networkLabel] || globalNetwork || undefined,
  };
}

/**
 * istiod's label overrides, judged by the class name as istiod does. Waypoints default their network to the mesh's
 * unless the Gateway's own labels name one (only the Gateway's: a network in spec.infrastructure.labels alone still
 * gets the mesh's added). Any other class is kept out of ambient capture unless it says otherwise.
 */
function withLabelOverrides(
  input: WaypointInput,
  className: string,
  labels: Record<string, string>,
): Record<string, string> {
  const result = { ...labels };
  const waypointLike = className.includes('waypoint') || className.includes('east-west');
  const own = input.gateway.metadata.labels ?? {};
  if (!waypointLike && !('istio.io/dataplane-mode' in own) && !('istio.io/dataplane-mode' in labels)) {
    result['istio.io/dataplane-mode'] = 'none';
  }
  const network = input.values.global?.network;
  if (waypointLike && network && !(networkLabel in own)) result[networkLabel] = network;
  return result;
}

/** An object's metadata: its name, the Gateway's namespace, the shared labels and annotations, the owner. */
export function objectMetadata(
  meta: WaypointMeta,
  name: string,
  annotations: Record<string, string> = meta.annotations,
): ObjectMeta {
  const result: ObjectMeta = { name, namespace: meta.namespace, labels: { ...meta.labels } };
  const sortedAnnotations = nonEmpty(sorted(annotations));
  if (sortedAnnotations) result.annotations = sortedAnnotations;
  result.ownerReferences = [{ ...meta.owner }];
  return result;
}

/** The map with its keys in order, as istiod writes them, so the output never depends on how the input was written. */
export function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
