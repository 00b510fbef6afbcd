// The istio.io/WaypointBound condition on Services: whether the Service's traffic goes through a waypoint, and
// why not when it asked for one. Written only when it changes; removed when the Service no longer asks. Woken by
// Services, by the Gateways their use-waypoint labels (or their namespace's) name, and by namespaces.
import type { Logger } from 'winston';
import { mergeConditions } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { applyConditionsIfChanged } from '../../../src/kube/status-apply.ts';
import { referrers, self } from '../../../src/kube/watches.ts';
import type { Condition } from '../../../src/api/kube-types.ts';
import { serviceBinding, waypointBoundCondition } from '../../../src/ambient/binding.ts';
import type { ControlPlaneContext, ControlPlaneController } from '../common/context.ts';
import { namespaceInScope } from '../common/scope.ts';

export const waypointBound = 'istio.io/WaypointBound';
const fieldManager = 'istio.io/ambient-status';

async function reconcileWaypointBound(ctx: ControlPlaneContext, key: string, log: Logger): Promise<ReconcileResult> {
  const [namespace = '', name = ''] = key.split('/');
  const svc = ctx.caches.services.get(name, namespace);
  if (!svc || !namespaceInScope(ctx.caches.namespaces.get(namespace), ctx.mesh().discoverySelectors)) return {};
  const wanted = waypointBoundCondition(serviceBinding(ctx.caches.ambientView(), svc));
  const previous = ((svc['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter(
    (c) => c.type === waypointBound,
  );
  // Without observedGeneration: a Service's status conditions do not carry it.
  const conditions = wanted
    ? mergeConditions(previous, [{ type: waypointBound, ...wanted }], 0, ctx.now()).map(
        ({ observedGeneration: _unused, ...c }) => c,
      )
    : [];
  // Applying an empty list as this manager releases (removes) the condition it set before.
  if (await applyConditionsIfChanged(ctx.client, svc, conditions, fieldManager, wanted ? [] : [waypointBound]))
    log.debug('WaypointBound', { status: wanted?.status ?? 'removed', reason: wanted?.reason });
  return {};
}

/** Whether the Service (or its namespace) names the Gateway in istio.io/use-waypoint. */
function namesWaypoint(ctx: ControlPlaneContext, svc: KubeObject, gw: KubeObject): boolean {
  const named = (o: KubeObject | undefined) => o?.metadata.labels?.['istio.io/use-waypoint'] === gw.metadata.name;
  return named(svc) || named(ctx.caches.namespaces.get(svc.metadata.namespace ?? ''));
}

export const waypointBoundController: ControlPlaneController = {
  name: 'waypointbound',
  reconcile: reconcileWaypointBound,
  watches: (ctx) => [
    self(ctx.caches.services),
    // Bindings depend on waypoints becoming ready and on namespace labels.
    referrers(ctx.caches.gateways, ctx.caches.services, (svc, gw) => namesWaypoint(ctx, svc, gw)),
    referrers(ctx.caches.namespaces, ctx.caches.services, (svc, ns) => svc.metadata.namespace === ns.metadata.name),
  ],
};
