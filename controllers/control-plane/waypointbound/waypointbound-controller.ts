// The istio.io/WaypointBound condition on Services: whether the Service's traffic goes through a waypoint, and
// why not when it asked for one. Written only when it changes; removed when the Service no longer asks.
import type { Logger } from 'winston';
import { isNotFound } from '../../../src/kube/api-client.ts';
import type { KubeClient } from '../../../src/kube/client.ts';
import { mergeConditions } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { Condition } from '../../../src/api/kube-types.ts';
import { serviceBinding, waypointBoundCondition } from '../../../src/ambient/binding.ts';
import type { ControlPlaneCaches } from '../common/caches.ts';
import type { MeshSettings } from '../common/mesh-config.ts';
import { namespaceInScope } from '../common/scope.ts';

export const waypointBound = 'istio.io/WaypointBound';
const fieldManager = 'istio.io/ambient-status';

export async function reconcileServiceStatus(
  client: KubeClient,
  caches: ControlPlaneCaches,
  mesh: () => MeshSettings,
  key: string,
  log: Logger,
  now: () => Date,
): Promise<ReconcileResult> {
  const [namespace = '', name = ''] = key.split('/');
  const svc = caches.services.get(name, namespace);
  if (!svc || !namespaceInScope(caches.namespaces.get(namespace), mesh().discoverySelectors)) return {};
  const view = caches.ambientView();
  const wanted = waypointBoundCondition(serviceBinding(view, svc));
  const previous = ((svc['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === waypointBound,
  );
  if (!wanted && !previous) return {};
  if (
    wanted &&
    previous &&
    previous.status === wanted.status &&
    previous.reason === wanted.reason &&
    previous.message === wanted.message
  )
    return {};
  const conditions = wanted
    ? mergeConditions(
        previous ? [previous] : [],
        [{ type: waypointBound, ...wanted }],
        svc.metadata.generation ?? 0,
        now(),
      ).map(({ observedGeneration: _unused, ...c }) => c)
    : [];
  try {
    // Applying an empty list as this manager releases (removes) the condition it set before.
    await client.applyStatus(
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, status: { conditions } },
      fieldManager,
    );
    log.debug('WaypointBound', { status: wanted?.status ?? 'removed', reason: wanted?.reason });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return {};
}
