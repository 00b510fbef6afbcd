// IstioRevision → the control plane (istiod[-rev] Deployment running `ambit control-plane`, its Service, mesh
// ConfigMap, RBAC): observe the revision and what it depends on, render, apply what changed, report Reconciled,
// Ready, DependenciesHealthy, InUse and (when discoverySelectors hide a namespace it must see) a warning. Woken by
// its CR, the objects it owns, and anything its dependencies, use or discovery depend on: the IstioCNI and ZTunnel,
// revision tags and namespaces.
import type { IstioRevisionSpec } from '../../../src/api/sailoperator/istiorevision.ts';
import type { ConditionInput } from '../../../src/kube/conditions.ts';
import { controllerRef, type KubeObject } from '../../../src/kube/objects.ts';
import { everyOf, owners, self } from '../../../src/kube/watches.ts';
import { renderControlPlane } from '../../../src/render/control-plane.ts';
import { controlPlaneNames } from '../../../src/render/control-plane-names.ts';
import { dependsOnCni, isAmbient } from '../../../src/render/values/predicates.ts';
import { reconcileComponent, type Component } from '../common/component-reconciler.ts';
import { componentStatus } from '../common/component-status.ts';
import type { OperatorController, OperatorSettings } from '../common/context.ts';
import { checkInstall, installNamespace } from '../common/install-check.ts';
import { deploymentReadiness } from '../common/readiness.ts';
import { dependenciesCondition, inUseCondition, undiscoveredNamespaces } from './dependencies.ts';

export const fieldManager = 'ambit-istiorevision';

export interface RevisionObserved {
  rev: KubeObject;
  spec: IstioRevisionSpec;
  namespace: KubeObject | undefined;
  /** The IstioCNI and ZTunnel named default. */
  cni: KubeObject | undefined;
  ztunnel: KubeObject | undefined;
  /** The namespace ztunnel runs in, which the control plane must see as well as its own. */
  ztunnelNamespace: KubeObject | undefined;
  namespaces: KubeObject[];
  tags: KubeObject[];
  istiod: KubeObject | undefined;
  settings: OperatorSettings;
}

export const istioRevision: Component<RevisionObserved> = {
  fieldManager,
  cache: (caches) => caches.revisions,
  observe: (ctx, rev) => {
    const spec = rev['spec'] as IstioRevisionSpec;
    const ztunnel = ctx.caches.ztunnels.get('default');
    const ztunnelNs = ztunnel && installNamespace(ztunnel);
    return {
      rev,
      spec,
      namespace: ctx.caches.namespaces.get(spec.namespace),
      cni: ctx.caches.cnis.get('default'),
      ztunnel,
      ztunnelNamespace: ztunnelNs === undefined ? undefined : ctx.caches.namespaces.get(ztunnelNs),
      namespaces: ctx.caches.namespaces.list(),
      tags: ctx.caches.tags.list(),
      istiod: ctx.caches.owned
        .get('Deployment')
        ?.get(controlPlaneNames(spec.values.revision, spec.namespace).istiod, spec.namespace),
      settings: ctx.settings,
    };
  },
  desired: (o) => {
    const checked = checkInstall(o.spec, o.namespace);
    if (checked.problem) return { problem: checked.problem };
    return {
      objects: renderControlPlane({
        owner: controllerRef(o.rev),
        managedBy: o.settings.managedBy,
        version: checked.version,
        namespace: o.spec.namespace,
        values: o.spec.values,
        image: o.settings.controlPlaneImage,
      }),
    };
  },
  report: (o, outcome, now) => {
    const ambient = isAmbient(o.spec.values);
    const hidden = undiscoveredNamespaces(
      o.spec.values,
      [o.namespace, o.ztunnelNamespace].filter((n): n is KubeObject => n !== undefined),
    );
    const advisory: ConditionInput[] = [inUseCondition(o.rev.metadata.name, o.namespaces, o.ztunnel, o.tags)];
    const discoveryWarning =
      hidden.length > 0
        ? `meshConfig.discoverySelectors do not select namespace(s) ${hidden.map((n) => `"${n}"`).join(', ')}, which the control plane must see ` +
          `(without it ztunnel cannot get certificates, istio/istio#52057); label them to match a selector, e.g. ` +
          `kubectl label namespace ${hidden[0]} ${selectorHint(o.spec)}`
        : undefined;
    if (discoveryWarning) {
      advisory.push({
        type: 'NamespacesDiscovered',
        status: 'False',
        reason: 'NamespaceNotDiscovered',
        message: discoveryWarning,
      });
    }
    const needsCni = ambient || dependsOnCni(o.spec.values, o.settings.platform);
    return {
      status: componentStatus({
        generation: o.rev.metadata.generation ?? 0,
        previous: (o.rev['status'] as { conditions?: [] } | undefined)?.conditions,
        reconcileError: outcome.reconcileError,
        readiness: deploymentReadiness(o.istiod, 'istiod'),
        notReadyReason: 'IstiodNotReady',
        extra: [dependenciesCondition(needsCni, ambient, o.cni, o.ztunnel)],
        advisory,
        now,
      }),
      warnings: discoveryWarning ? [{ reason: 'NamespaceNotDiscovered', message: discoveryWarning }] : [],
    };
  },
};

/** A label the user can add: the first matchLabels pair of the first selector, when there is one. */
function selectorHint(spec: IstioRevisionSpec): string {
  const first = Object.entries(spec.values.meshConfig?.discoverySelectors?.[0]?.matchLabels ?? {})[0];
  return first ? `${first[0]}=${first[1]}` : '<label matching a selector>';
}

export const istioRevisionController: OperatorController = {
  name: 'istiorevision',
  reconcile: reconcileComponent(istioRevision),
  watches: ({ caches }) => [
    self(caches.revisions),
    everyOf(caches.cnis, caches.revisions),
    everyOf(caches.ztunnels, caches.revisions),
    everyOf(caches.tags, caches.revisions),
    // in-use and discoverySelectors depend on namespace labels.
    everyOf(caches.namespaces, caches.revisions),
    ...owners(caches.owned.values(), 'IstioRevision', { namespaced: false }),
  ],
};
