// ZTunnel → the ztunnel DaemonSet, pointed at the control plane it targets (or the default one): observe the CR,
// its namespace and its target, compute values and objects, apply what changed, report Reconciled/Ready and
// status.istioRevision. Woken by its CR, its namespace, the objects it owns, and the Istio or IstioRevision its
// targetRef names — read from the spec, not from a possibly stale status (sail-operator #2089).
import type { ZTunnelSpec } from '../../../src/api/sailoperator/ztunnel.ts';
import { controllerRef } from '../../../src/kube/objects.ts';
import { owners, referrers, self } from '../../../src/kube/watches.ts';
import { computeZTunnelValues } from '../../../src/render/values/compute.ts';
import { renderZTunnel } from '../../../src/render/ztunnel.ts';
import { reconcileComponent, type Component } from '../common/component-reconciler.ts';
import type { OperatorController } from '../common/context.ts';
import {
  daemonSetComponentStatus,
  observeDaemonSetComponent,
  type DaemonSetObserved,
} from '../common/daemonset-component.ts';
import { checkInstall, installNamespace } from '../common/install-check.ts';
import { targetRefDependsOn } from '../common/target-ref.ts';
import { resolveTarget, type TargetResolution } from './target.ts';

export const fieldManager = 'ambit-ztunnel';
const daemonSetName = 'ztunnel';

export interface ZTunnelObserved extends DaemonSetObserved<ZTunnelSpec> {
  target: TargetResolution;
}

export const zTunnel: Component<ZTunnelObserved> = {
  fieldManager,
  cache: (caches) => caches.ztunnels,
  observe: (ctx, zt) => {
    const observed = observeDaemonSetComponent<ZTunnelSpec>(ctx, zt, daemonSetName);
    const target = resolveTarget(
      observed.spec.targetRef,
      (n) => ctx.caches.istios.get(n),
      (n) => ctx.caches.revisions.get(n),
    );
    return { ...observed, target };
  },
  desired: (o) => {
    const checked = checkInstall(o.spec, o.namespace);
    if (checked.problem) return { problem: checked.problem };
    if (o.target.kind === 'missing') return { problem: { eventReason: 'InvalidValues', message: o.target.message } };
    const values = computeZTunnelValues({
      userValues: o.spec.values,
      platform: o.platform,
      revisionValues: o.target.kind === 'resolved' ? o.target.values : undefined,
    });
    return {
      objects: renderZTunnel({
        owner: controllerRef(o.cr),
        managedBy: o.managedBy,
        version: checked.version,
        namespace: o.spec.namespace,
        values,
      }),
    };
  },
  report: (o, outcome, now) => ({
    status: {
      ...daemonSetComponentStatus(o, daemonSetName, outcome, now),
      istioRevision: o.target.kind === 'resolved' ? o.target.revision : '',
    },
  }),
};

export const zTunnelController: OperatorController = {
  name: 'ztunnel',
  reconcile: reconcileComponent(zTunnel),
  watches: ({ caches }) => [
    self(caches.ztunnels),
    referrers(caches.namespaces, caches.ztunnels, (zt, ns) => installNamespace(zt) === ns.metadata.name),
    referrers(caches.istios, caches.ztunnels, targetRefDependsOn),
    referrers(caches.revisions, caches.ztunnels, targetRefDependsOn),
    ...owners(caches.owned.values(), 'ZTunnel', { namespaced: false }),
  ],
};
