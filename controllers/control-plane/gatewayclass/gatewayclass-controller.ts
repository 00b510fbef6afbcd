// The istio-waypoint GatewayClass: created when missing (never overwritten: users may edit it), and every class
// whose controller is ours reports Accepted. Woken by GatewayClasses, and once at start for the built-in class.
import type { Logger } from 'winston';
import { isConflict } from '../../../src/kube/api-client.ts';
import { mergeConditions } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { applyConditionsIfChanged } from '../../../src/kube/status-apply.ts';
import { self } from '../../../src/kube/watches.ts';
import type { Condition } from '../../../src/api/kube-types.ts';
import type { ControlPlaneContext, ControlPlaneController } from '../common/context.ts';
import { gatewayControllerName as fieldManager, meshController, waypointClass } from '../common/gateway-controller.ts';

async function reconcileGatewayClass(ctx: ControlPlaneContext, key: string, log: Logger): Promise<ReconcileResult> {
  const cls = ctx.caches.gatewayClasses.get(key);
  if (!cls) {
    if (key !== waypointClass) return {};
    try {
      await ctx.client.create(
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'GatewayClass',
          metadata: { name: waypointClass },
          spec: { controllerName: meshController, description: 'The default Istio waypoint GatewayClass' },
        },
        fieldManager,
      );
      log.info('created GatewayClass', { name: waypointClass });
    } catch (err) {
      // Another control plane created it first.
      if (!isConflict(err)) throw err;
    }
    return {};
  }
  if ((cls['spec'] as { controllerName?: string }).controllerName !== meshController) return {};
  const conditions = mergeConditions(
    (cls['status'] as { conditions?: Condition[] } | undefined)?.conditions,
    [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Handled by Istio controller' }],
    cls.metadata.generation ?? 0,
    ctx.now(),
  );
  await applyConditionsIfChanged(ctx.client, cls, conditions, fieldManager);
  return {};
}

export const gatewayClassController: ControlPlaneController = {
  name: 'gatewayclass',
  reconcile: reconcileGatewayClass,
  watches: ({ caches }) => [self(caches.gatewayClasses)],
  initialKeys: [waypointClass],
};
