// The status.parents entries istiod writes on a mesh (GAMMA) HTTPRoute: per Service or ServiceEntry parentRef,
// Accepted (does the parent exist?), ResolvedRefs (do the backends?) and, in ambient mode, ResolvedWaypoints (will a
// waypoint apply the route?). Parents of other kinds, or whose waypoint another controller owns, are returned as not
// ours: the caller leaves their entries to that controller. Pure: the caller merges timestamps (mergeConditions).
import type { ConditionInput } from '../../kube/conditions.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { ClusterIndex } from './cluster-index.ts';
import type { ParentRef } from './gateway-api.ts';
import { convertHttpRoute } from './httproute-rules.ts';
import { jsonCopy } from './json-copy.ts';
import { routeParents, type Parent } from './parents.ts';

export const gatewayController = 'istio.io/gateway-controller';

export interface RouteParentStatus {
  /** As written in spec.parentRefs. */
  parentRef: ParentRef;
  controllerName: string;
  conditions: ConditionInput[];
}

export interface HttpRouteStatus {
  parents: RouteParentStatus[];
  notOurs: ParentRef[];
  observedGeneration: number;
}

const missingLabel =
  'istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected';

export function httpRouteStatus(route: KubeObject, index: ClusterIndex): HttpRouteStatus {
  const { error } = convertHttpRoute(route, index);
  const resolvedRefs: ConditionInput = error
    ? { type: 'ResolvedRefs', status: 'False', ...error }
    : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved' };
  const parents: RouteParentStatus[] = [];
  const notOurs: ParentRef[] = [];
  for (const parent of routeParents(route, index)) {
    if (parent.kind === 'not-service' || parent.kind === 'foreign') {
      notOurs.push(jsonCopy(parent.ref));
      continue;
    }
    parents.push({
      parentRef: jsonCopy(parent.ref),
      controllerName: gatewayController,
      conditions: [accepted(parent), { ...resolvedRefs }, resolvedWaypoints(parent)],
    });
  }
  return { parents, notOurs, observedGeneration: route.metadata.generation ?? 0 };
}

type OurParent = Exclude<Parent, { kind: 'not-service' | 'foreign' }>;

// Gateway API's reason for a parent that does not exist (or lacks the port) is NoMatchingParent.
function accepted(p: OurParent): ConditionInput {
  const type = 'Accepted';
  if (p.kind === 'missing') {
    const what = p.serviceEntry ? 'parent service entry' : 'parent service';
    return { type, status: 'False', reason: 'NoMatchingParent', message: `${what}: "${p.ref.name}" not found` };
  }
  if (p.kind === 'no-port')
    return { type, status: 'False', reason: 'NoMatchingParent', message: `port ${String(p.port)} not found` };
  return { type, status: 'True', reason: 'Accepted', message: 'Route was valid' };
}

function resolvedWaypoints(p: OurParent): ConditionInput {
  const type = 'ResolvedWaypoints';
  if (p.kind === 'missing') return { type, status: 'False', reason: 'NoMatchingParent', message: 'parent not found' };
  if (!p.labelled) return { type, status: 'False', reason: 'MissingUseWaypointLabel', message: missingLabel };
  return { type, status: 'True', reason: 'ResolvedWaypoints', message: 'All waypoints resolved' };
}
