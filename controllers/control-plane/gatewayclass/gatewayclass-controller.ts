// The istio-waypoint GatewayClass: created when missing (never overwritten: users may edit it), and every class
// whose controller is ours reports Accepted.
import type { Logger } from 'winston';
import type { KubeClient } from '../../../src/kube/client.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { isConflict } from '../../../src/kube/api-client.ts';
import { mergeConditions } from '../../../src/kube/conditions.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { Condition } from '../../../src/api/kube-types.ts';
import type { ControlPlaneCaches } from '../common/caches.ts';

export const meshController = 'istio.io/mesh-controller';
export const waypointClass = 'istio-waypoint';
export const fieldManager = 'istio.io/gateway-controller';

export async function reconcileGatewayClass(
  client: KubeClient,
  caches: ControlPlaneCaches,
  key: string,
  log: Logger,
  now: () => Date,
): Promise<ReconcileResult> {
  const cls = caches.gatewayClasses.get(key);
  if (!cls) {
    if (key !== waypointClass) return {};
    try {
      await client.create(
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
  const generation = cls.metadata.generation ?? 0;
  const previous = (cls['status'] as { conditions?: Condition[] } | undefined)?.conditions;
  const conditions = mergeConditions(
    previous,
    [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Handled by Istio controller' }],
    generation,
    now(),
  );
  const current = previous?.find((c) => c.type === 'Accepted');
  if (
    current?.status === 'True' &&
    current.observedGeneration === generation &&
    current.message === 'Handled by Istio controller'
  )
    return {};
  const status: KubeObject = {
    apiVersion: cls.apiVersion,
    kind: cls.kind,
    metadata: { name: cls.metadata.name },
    status: { conditions },
  };
  await client.applyStatus(status, fieldManager);
  return {};
}
