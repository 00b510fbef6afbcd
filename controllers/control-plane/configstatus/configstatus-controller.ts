// Status on the configuration the xDS side reads: each HTTPRoute's parents (Accepted, ResolvedRefs,
// ResolvedWaypoints for the Services it attaches to, leaving other controllers' entries alone) and each
// AuthorizationPolicy's acceptance by the waypoint or ztunnel that enforces it. Written only when it changes. Woken
// by each route and policy, and by anything they resolve against (every route and policy then).
import type { Logger } from 'winston';
import { mergeConditions } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import type { Condition } from '../../../src/api/kube-types.ts';
import { httpRouteStatus } from '../../../src/ambient/translate/route-status.ts';
import { policyStatus } from '../../../src/ambient/translate/authorization.ts';
import type { ControlPlaneContext, ControlPlaneController } from '../common/context.ts';
import { gatewayControllerName } from '../common/gateway-controller.ts';
import { namespaceInScope } from '../common/scope.ts';

const fieldManager = gatewayControllerName;
/** The name in status.parents that marks our entries. */
const controllerName = gatewayControllerName;

const routeKey = (o: KubeObject) => `HTTPRoute/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const policyKey = (o: KubeObject) => `AuthorizationPolicy/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

interface ParentStatus {
  parentRef: Record<string, unknown>;
  controllerName: string;
  conditions?: Condition[];
}

const sameRef = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function reconcileConfigStatus(ctx: ControlPlaneContext, key: string, log: Logger): Promise<ReconcileResult> {
  const [kind = '', namespace = '', name = ''] = key.split('/');
  if (!namespaceInScope(ctx.caches.namespaces.get(namespace), ctx.mesh().discoverySelectors)) return {};
  if (kind === 'HTTPRoute') {
    const route = ctx.caches.httpRoutes.get(name, namespace);
    if (route) await reportRoute(ctx, route, log);
  } else {
    const policy = ctx.caches.authorizationPolicies.get(name, namespace);
    if (policy) await reportPolicy(ctx, policy);
  }
  return {};
}

async function reportRoute(ctx: ControlPlaneContext, route: KubeObject, log: Logger): Promise<void> {
  const computed = httpRouteStatus(route, ctx.caches.clusterIndex(ctx.clusterDomain()));
  const previous = (route['status'] as { parents?: ParentStatus[] } | undefined)?.parents ?? [];
  const others = previous.filter((p) => p.controllerName !== controllerName);
  const ours = computed.parents.map((p) => {
    const before = previous.find((q) => q.controllerName === controllerName && sameRef(q.parentRef, p.parentRef));
    return {
      parentRef: p.parentRef,
      controllerName,
      conditions: mergeConditions(before?.conditions, p.conditions, computed.observedGeneration, ctx.now()),
    };
  });
  // `parents` is an atomic list: the whole list is written, other controllers' entries as they are.
  if (await applyStatusIfChanged(ctx.client, route, { parents: [...others, ...ours] }, fieldManager))
    log.debug('HTTPRoute status', { parents: ours.length });
}

async function reportPolicy(ctx: ControlPlaneContext, policy: KubeObject): Promise<void> {
  const computed = policyStatus(policy, {
    index: ctx.caches.clusterIndex(ctx.clusterDomain()),
    rootNamespace: ctx.mesh().rootNamespace,
  });
  const previous = (policy['status'] as { conditions?: Condition[] } | undefined)?.conditions;
  const conditions = mergeConditions(previous, computed.conditions, computed.observedGeneration, ctx.now());
  await applyStatusIfChanged(ctx.client, policy, { conditions }, fieldManager);
}

/** Of a Service only its spec and labels matter: its status (our own WaypointBound writes) and resyncs do not. */
const serviceInputs = (svc: KubeObject) => JSON.stringify([svc.metadata.labels, svc['spec']]);

export const configStatusController: ControlPlaneController = {
  name: 'configstatus',
  reconcile: reconcileConfigStatus,
  watches: ({ caches }) => {
    // Route and policy status depends on Services, namespaces, Gateways and grants: any of them re-checks all.
    const allConfig = () => [
      ...caches.httpRoutes.list().map(routeKey),
      ...caches.authorizationPolicies.list().map(policyKey),
    ];
    return [
      { informer: caches.httpRoutes, keys: (r) => [routeKey(r)] },
      { informer: caches.authorizationPolicies, keys: (p) => [policyKey(p)] },
      ...[caches.namespaces, caches.gateways, caches.gatewayClasses, caches.referenceGrants, caches.serviceEntries].map(
        (informer) => ({ informer, keys: allConfig }),
      ),
      {
        informer: caches.services,
        keys: (svc, old) => (old === undefined || serviceInputs(old) !== serviceInputs(svc) ? allConfig() : []),
      },
    ];
  },
};
