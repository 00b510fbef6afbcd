// IstioCNI → the istio-cni-node DaemonSet: observe the CR and its namespace, compute the values and objects, apply
// what changed, report Reconciled/Ready. A missing namespace or an unusable version is reported and waits for the
// next change (no retry loop); an API failure is reported and retried with backoff. Woken by its CR, its
// namespace and the objects it owns.
import type { IstioCNISpec } from '../../../src/api/sailoperator/istiocni.ts';
import { controllerRef } from '../../../src/kube/objects.ts';
import { owners, referrers, self } from '../../../src/kube/watches.ts';
import { renderCni } from '../../../src/render/cni.ts';
import { computeCniValues } from '../../../src/render/values/compute.ts';
import { reconcileComponent, type Component } from '../common/component-reconciler.ts';
import type { OperatorController } from '../common/context.ts';
import {
  daemonSetComponentStatus,
  observeDaemonSetComponent,
  type DaemonSetObserved,
} from '../common/daemonset-component.ts';
import { checkInstall, installNamespace } from '../common/install-check.ts';

export const fieldManager = 'ambit-istiocni';
const daemonSetName = 'istio-cni-node';

export type CniObserved = DaemonSetObserved<IstioCNISpec>;

export const istioCni: Component<CniObserved> = {
  fieldManager,
  cache: (caches) => caches.cnis,
  observe: (ctx, cni) => observeDaemonSetComponent<IstioCNISpec>(ctx, cni, daemonSetName),
  desired: (o) => {
    const checked = checkInstall(o.spec, o.namespace);
    if (checked.problem) return { problem: checked.problem };
    const values = computeCniValues({ profile: o.spec.profile, userValues: o.spec.values, platform: o.platform });
    return {
      objects: renderCni({
        owner: controllerRef(o.cr),
        managedBy: o.managedBy,
        version: checked.version,
        namespace: o.spec.namespace,
        values,
      }),
    };
  },
  report: (o, outcome, now) => ({ status: daemonSetComponentStatus(o, daemonSetName, outcome, now) }),
};

export const istioCniController: OperatorController = {
  name: 'istiocni',
  reconcile: reconcileComponent(istioCni),
  watches: ({ caches }) => [
    self(caches.cnis),
    referrers(caches.namespaces, caches.cnis, (cni, ns) => installNamespace(cni) === ns.metadata.name),
    ...owners(caches.owned.values(), 'IstioCNI', { namespaced: false }),
  ],
};
