// The node-agent components (IstioCNI, ZTunnel) observe and report alike: the CR, its spec and namespace, the one
// DaemonSet it installs there and the operator's settings; Ready follows that DaemonSet.
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { Platform } from '../../../src/render/values/types.ts';
import type { Outcome } from './component-reconciler.ts';
import { componentStatus } from './component-status.ts';
import type { OperatorContext } from './context.ts';
import { daemonSetReadiness } from './readiness.ts';

export interface DaemonSetObserved<Spec> {
  cr: KubeObject;
  spec: Spec;
  namespace: KubeObject | undefined;
  daemonSet: KubeObject | undefined;
  platform: Platform;
  managedBy: string;
}

export function observeDaemonSetComponent<Spec extends { namespace: string }>(
  ctx: OperatorContext,
  cr: KubeObject,
  daemonSetName: string,
): DaemonSetObserved<Spec> {
  const spec = cr['spec'] as Spec;
  return {
    cr,
    spec,
    namespace: ctx.caches.namespaces.get(spec.namespace),
    daemonSet: ctx.caches.owned.get('DaemonSet')?.get(daemonSetName, spec.namespace),
    platform: ctx.settings.platform,
    managedBy: ctx.settings.managedBy,
  };
}

export function daemonSetComponentStatus(
  o: DaemonSetObserved<unknown>,
  daemonSetName: string,
  outcome: Outcome,
  now: Date,
) {
  return componentStatus({
    generation: o.cr.metadata.generation ?? 0,
    previous: (o.cr['status'] as { conditions?: [] } | undefined)?.conditions,
    reconcileError: outcome.reconcileError,
    readiness: daemonSetReadiness(o.daemonSet, daemonSetName),
    notReadyReason: 'DaemonSetNotReady',
    now,
  });
}
