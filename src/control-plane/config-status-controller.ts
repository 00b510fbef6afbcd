// Status on the configuration the xDS side reads: each HTTPRoute's parents (Accepted, ResolvedRefs,
// ResolvedWaypoints for the Services it attaches to, leaving other controllers' entries alone) and each
// AuthorizationPolicy's acceptance by the waypoint or ztunnel that enforces it. Written only when it changes.
import type { Logger } from 'winston';
import type { KubeClient } from '../kube/client.ts';
import { mergeConditions } from '../kube/conditions.ts';
import type { ReconcileResult } from '../kube/controller.ts';
import type { KubeObject } from '../kube/objects.ts';
import { applyStatusIfChanged } from '../kube/status-apply.ts';
import type { Condition } from '../api/kube-types.ts';
import { clusterIndex, type ClusterIndex } from '../ambient/translate/cluster-index.ts';
import { httpRouteStatus } from '../ambient/translate/route-status.ts';
import { policyStatus } from '../ambient/translate/authorization.ts';
import type { ControlPlaneCaches } from './caches.ts';
import type { MeshSettings } from './mesh-config.ts';
import { namespaceInScope } from './scope.ts';

const fieldManager = 'istio.io/gateway-controller';
const controllerName = 'istio.io/gateway-controller';

export const routeKey = (o: KubeObject) => `HTTPRoute/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
export const policyKey = (o: KubeObject) => `AuthorizationPolicy/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

interface ParentStatus {
  parentRef: Record<string, unknown>;
  controllerName: string;
  conditions?: Condition[];
}

export interface ConfigStatusContext {
  client: KubeClient;
  caches: ControlPlaneCaches;
  mesh: () => MeshSettings;
  now: () => Date;
  /** The lookups the status rules need, rebuilt only after the objects they index changed. */
  index: () => ClusterIndex;
}

/** An index over the caches, rebuilt lazily after any change to what it indexes. */
export function cachedIndex(caches: ControlPlaneCaches, clusterDomain: () => string): () => ClusterIndex {
  let index: ClusterIndex | undefined;
  const invalidate = () => (index = undefined);
  const inputs = [
    caches.services,
    caches.serviceEntries,
    caches.namespaces,
    caches.gateways,
    caches.gatewayClasses,
    caches.referenceGrants,
  ];
  for (const i of inputs) i.on({ add: invalidate, update: invalidate, delete: invalidate });
  return () =>
    (index ??= clusterIndex({
      services: caches.services.list(),
      serviceEntries: caches.serviceEntries.list(),
      namespaces: caches.namespaces.list(),
      gateways: caches.gateways.list(),
      gatewayClasses: caches.gatewayClasses.list(),
      referenceGrants: caches.referenceGrants.list(),
      clusterDomain: clusterDomain(),
    }));
}

const sameRef = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function reconcileConfigStatus(
  ctx: ConfigStatusContext,
  key: string,
  log: Logger,
): Promise<ReconcileResult> {
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

async function reportRoute(ctx: ConfigStatusContext, route: KubeObject, log: Logger): Promise<void> {
  const computed = httpRouteStatus(route, ctx.index());
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

async function reportPolicy(ctx: ConfigStatusContext, policy: KubeObject): Promise<void> {
  const computed = policyStatus(policy, { index: ctx.index(), rootNamespace: ctx.mesh().rootNamespace });
  const previous = (policy['status'] as { conditions?: Condition[] } | undefined)?.conditions;
  const conditions = mergeConditions(previous, computed.conditions, computed.observedGeneration, ctx.now());
  await applyStatusIfChanged(ctx.client, policy, { conditions }, fieldManager);
}
