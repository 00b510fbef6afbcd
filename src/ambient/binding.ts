// Which waypoint a Service or a workload (Pod) uses, with istiod's precedence and reasons, plus the seed's
// service-account waypoints. Pure: the inputs are the objects as the caches hold them.
//
//  Service traffic:  Service `istio.io/use-waypoint` (`none` opts out) > Namespace label > none.
//  Workload traffic: Pod `istio.io/use-waypoint` (`none` opts out) > a waypoint of the pod's service account
//                    (`istio.io/for-service-account` on a Gateway in its namespace) > Namespace label > none.
//  A waypoint (its Service or pods) never gets a waypoint. A named waypoint that is not ready (no status.addresses)
//  gives WaypointIsNotReady and no fallback to the namespace's waypoint.
import type { KubeObject } from '../kube/objects.ts';
import { allowsAttachment, type Waypoint } from './waypoints.ts';

export const useWaypointLabel = 'istio.io/use-waypoint';
export const useWaypointNamespaceLabel = 'istio.io/use-waypoint-namespace';

export type BindingReason = 'WaypointAccepted' | 'WaypointIsNotReady' | 'AttachmentDenied' | 'UnsupportedTrafficType';

export type Binding =
  | { kind: 'none' }
  | { kind: 'bound'; waypoint: Waypoint; source: 'object' | 'service-account' | 'namespace' }
  | { kind: 'error'; reason: Exclude<BindingReason, 'WaypointAccepted'>; message: string };

export interface AmbientView {
  namespace: (name: string) => KubeObject | undefined;
  waypoint: (namespace: string, name: string) => Waypoint | undefined;
  /** Ready waypoints of a namespace scoped to a service account. */
  serviceAccountWaypoint: (namespace: string, serviceAccount: string) => Waypoint | undefined;
}

type Target = 'service' | 'workload';

function requested(o: KubeObject, defaultNs: string): { name: string; namespace: string } | 'none' | undefined {
  const name = o.metadata.labels?.[useWaypointLabel];
  if (name === undefined) return undefined;
  if (name === 'none') return 'none';
  return { name, namespace: o.metadata.labels?.[useWaypointNamespaceLabel] ?? defaultNs };
}

function resolve(
  view: AmbientView,
  ref: { name: string; namespace: string },
  fromNs: string,
  target: Target,
  source: 'object' | 'namespace',
): Binding {
  const w = view.waypoint(ref.namespace, ref.name);
  const id = `${ref.namespace}/${ref.name}`;
  if (!w) return { kind: 'error', reason: 'WaypointIsNotReady', message: `waypoint "${id}" is not ready` };
  if (!allowsAttachment(w, fromNs, view.namespace(fromNs)?.metadata.labels ?? {})) {
    return {
      kind: 'error',
      reason: 'AttachmentDenied',
      message: `we are not permitted to attach to waypoint "${id}" (missing allowedRoutes?)`,
    };
  }
  if (w.trafficType !== target && w.trafficType !== 'all') {
    // A pod inheriting its namespace's service-only waypoint simply has no workload waypoint (as istiod).
    if (source === 'namespace' && target === 'workload') return { kind: 'none' };
    return {
      kind: 'error',
      reason: 'UnsupportedTrafficType',
      message: `attempting to bind to traffic type "${target}" which the waypoint "${id}" does not support`,
    };
  }
  return { kind: 'bound', waypoint: w, source };
}

const isWaypointObject = (o: KubeObject) =>
  o.metadata.labels?.['gateway.istio.io/managed'] === 'istio.io-mesh-controller';

export function serviceBinding(view: AmbientView, svc: KubeObject): Binding {
  const ns = svc.metadata.namespace ?? '';
  if (isWaypointObject(svc)) return { kind: 'none' };
  return bind(view, svc, ns, 'service');
}

export function workloadBinding(view: AmbientView, pod: KubeObject): Binding {
  const ns = pod.metadata.namespace ?? '';
  const instanceOf = pod.metadata.labels?.['gateway.networking.k8s.io/gateway-name'];
  if (isWaypointObject(pod) || (instanceOf !== undefined && view.waypoint(ns, instanceOf))) return { kind: 'none' };
  const own = requested(pod, ns);
  if (own === 'none') return { kind: 'none' };
  if (own) return resolve(view, own, ns, 'workload', 'object');
  const sa = (pod['spec'] as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
  const saWaypoint = view.serviceAccountWaypoint(ns, sa);
  if (saWaypoint) return { kind: 'bound', waypoint: saWaypoint, source: 'service-account' };
  return bind(view, undefined, ns, 'workload');
}

function bind(view: AmbientView, obj: KubeObject | undefined, ns: string, target: Target): Binding {
  const own = obj && requested(obj, ns);
  if (own === 'none') return { kind: 'none' };
  if (own) return resolve(view, own, ns, target, 'object');
  const namespace = view.namespace(ns);
  const inherited = namespace && requested(namespace, ns);
  if (!inherited || inherited === 'none') return { kind: 'none' };
  return resolve(view, inherited, ns, target, 'namespace');
}

/** The istio.io/WaypointBound condition for a Service, or undefined when it asks for no waypoint. */
export function waypointBoundCondition(
  b: Binding,
): { status: 'True' | 'False'; reason: BindingReason; message: string } | undefined {
  if (b.kind === 'none') return undefined;
  if (b.kind === 'error') return { status: 'False', reason: b.reason, message: b.message };
  return {
    status: 'True',
    reason: 'WaypointAccepted',
    message: `Successfully attached to waypoint ${b.waypoint.namespace}/${b.waypoint.name}`,
  };
}
