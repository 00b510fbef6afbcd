// Which waypoint a Service or a workload uses, with istiod's precedence and reasons, plus the seed's service-account
// waypoints. Pure: the inputs are the objects as the caches hold them.
//
//  Service traffic:  Service or ServiceEntry `istio.io/use-waypoint` (`none` opts out) > Namespace label > none.
//  Workload traffic: Pod, WorkloadEntry or ServiceEntry endpoint `istio.io/use-waypoint` (`none` opts out) > a
//                    waypoint of its service account (`istio.io/for-service-account` on a Gateway in its namespace) >
//                    Namespace label > none.
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

type Labels = Record<string, string> | undefined;

function requested(labels: Labels, defaultNs: string): { name: string; namespace: string } | 'none' | undefined {
  const name = labels?.[useWaypointLabel];
  if (name === undefined) return undefined;
  if (name === 'none') return 'none';
  return { name, namespace: labels?.[useWaypointNamespaceLabel] ?? defaultNs };
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

const isWaypointObject = (labels: Labels) => labels?.['gateway.istio.io/managed'] === 'istio.io-mesh-controller';

/** Service traffic of a Service or a ServiceEntry (both read the same labels, istiod's fetchWaypointForService). */
export function serviceBinding(view: AmbientView, svc: KubeObject): Binding {
  const ns = svc.metadata.namespace ?? '';
  if (isWaypointObject(svc.metadata.labels)) return { kind: 'none' };
  return bind(view, svc.metadata.labels, ns, 'service');
}

export function workloadBinding(view: AmbientView, pod: KubeObject): Binding {
  const sa = (pod['spec'] as { serviceAccountName?: string } | undefined)?.serviceAccountName;
  return identityBinding(view, {
    namespace: pod.metadata.namespace ?? '',
    labels: pod.metadata.labels ?? {},
    serviceAccount: sa || 'default',
  });
}

/** What workload traffic is bound by: a pod's, a WorkloadEntry's or a ServiceEntry endpoint's labels and identity. */
export interface WorkloadIdentity {
  namespace: string;
  labels: Record<string, string>;
  serviceAccount: string;
}

/** Workload traffic of anything with labels and a service account (istiod's computeWaypoint). */
export function identityBinding(view: AmbientView, w: WorkloadIdentity): Binding {
  const ns = w.namespace;
  const instanceOf = w.labels['gateway.networking.k8s.io/gateway-name'];
  if (isWaypointObject(w.labels) || (instanceOf !== undefined && view.waypoint(ns, instanceOf)))
    return { kind: 'none' };
  const own = requested(w.labels, ns);
  if (own === 'none') return { kind: 'none' };
  if (own) return resolve(view, own, ns, 'workload', 'object');
  const saWaypoint = view.serviceAccountWaypoint(ns, w.serviceAccount);
  if (saWaypoint) return { kind: 'bound', waypoint: saWaypoint, source: 'service-account' };
  return bind(view, undefined, ns, 'workload');
}

function bind(view: AmbientView, labels: Labels, ns: string, target: Target): Binding {
  const own = labels && requested(labels, ns);
  if (own === 'none') return { kind: 'none' };
  if (own) return resolve(view, own, ns, target, 'object');
  const namespace = view.namespace(ns);
  const inherited = namespace && requested(namespace.metadata.labels, ns);
  if (!inherited || inherited === 'none') return { kind: 'none' };
  return resolve(view, inherited, ns, target, 'namespace');
}

/** The istio.io/WaypointBound condition for a Service or ServiceEntry, or undefined when it asks for no waypoint. */
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
