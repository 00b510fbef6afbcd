// IstioRevision → the control plane (istiod[-rev] Deployment running `ambit control-plane`, its Service, mesh
// ConfigMap, RBAC): observe the revision and what it depends on, render, apply what changed, report Reconciled,
// Ready, DependenciesHealthy, InUse and (when discoverySelectors hide a namespace it must see) a warning.
import type { Logger } from 'winston';
import type { IstioRevisionSpec } from '../../../src/api/sailoperator/istiorevision.ts';
import type { ConditionInput } from '../../../src/kube/conditions.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { controllerRef, type KubeObject } from '../../../src/kube/objects.ts';
import { applyIntentOrError } from '../common/apply.ts';
import type { OperatorContext } from '../common/context.ts';
import { addFinalizer, hasFinalizer } from '../common/finalizers.ts';
import { deploymentReadiness } from '../common/readiness.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { renderControlPlane } from '../../../src/render/control-plane.ts';
import { controlPlaneNames } from '../../../src/render/control-plane-names.ts';
import { dependsOnCni, isAmbient } from '../../../src/render/values/predicates.ts';
import { componentStatus } from '../common/component-status.ts';
import { finalize } from '../common/finalize.ts';
import { checkInstall, invalidValues, type InstallProblem } from '../common/install-check.ts';
import { dependenciesCondition, inUseCondition, undiscoveredNamespaces } from './dependencies.ts';

export const fieldManager = 'ambit-istiorevision';

export async function reconcileIstioRevision(ctx: OperatorContext, key: string, log: Logger): Promise<ReconcileResult> {
  // Observe.
  const rev = ctx.caches.revisions.get(key);
  if (!rev) return {};
  if (rev.metadata.deletionTimestamp) return finalize(ctx, rev, fieldManager, log);
  if (!hasFinalizer(rev)) await addFinalizer(ctx, rev, fieldManager);
  const spec = rev['spec'] as IstioRevisionSpec;
  const cni = ctx.caches.cnis.get('default');
  const ztunnel = ctx.caches.ztunnels.get('default');
  const names = controlPlaneNames(spec.values.revision, spec.namespace);

  // Compute.
  const checked = checkInstall(spec, ctx.caches.namespaces.get(spec.namespace));
  let problem: InstallProblem | undefined = checked.problem;
  let objects: KubeObject[] = [];
  if (!problem && checked.version) {
    try {
      objects = renderControlPlane({
        owner: controllerRef(rev),
        managedBy: ctx.settings.managedBy,
        version: checked.version,
        namespace: spec.namespace,
        values: spec.values,
        image: ctx.settings.controlPlaneImage,
      });
    } catch (err) {
      problem = invalidValues(err);
    }
  }
  const mustSee = [
    ctx.caches.namespaces.get(spec.namespace),
    ztunnel && ctx.caches.namespaces.get((ztunnel['spec'] as { namespace: string }).namespace),
  ];
  const hidden = undiscoveredNamespaces(
    spec.values,
    mustSee.filter((n): n is KubeObject => n !== undefined),
  );

  // Apply.
  const applyError = problem ? undefined : await applyIntentOrError(ctx, rev.metadata.uid!, objects, fieldManager, log);

  // Report.
  const ambient = isAmbient(spec.values);
  const advisory: ConditionInput[] = [
    inUseCondition(rev.metadata.name, ctx.caches.namespaces.list(), ztunnel, ctx.caches.tags.list()),
  ];
  const discoveryWarning =
    hidden.length > 0
      ? `meshConfig.discoverySelectors do not select namespace(s) ${hidden.map((n) => `"${n}"`).join(', ')}, which the control plane must see ` +
        `(without it ztunnel cannot get certificates, istio/istio#52057); label them to match a selector, e.g. ` +
        `kubectl label namespace ${hidden[0]} ${selectorHint(spec)}`
      : undefined;
  if (discoveryWarning) {
    advisory.push({
      type: 'NamespacesDiscovered',
      status: 'False',
      reason: 'NamespaceNotDiscovered',
      message: discoveryWarning,
    });
  }
  const status = componentStatus({
    generation: rev.metadata.generation ?? 0,
    previous: (rev['status'] as { conditions?: [] } | undefined)?.conditions,
    reconcileError: problem?.message ?? (applyError && `error reconciling resource: ${applyError.message}`),
    readiness: deploymentReadiness(ctx.caches.owned.get('Deployment')?.get(names.istiod, spec.namespace), 'istiod'),
    notReadyReason: 'IstiodNotReady',
    extra: [dependenciesCondition(ambient || dependsOnCni(spec.values, ctx.settings.platform), ambient, cni, ztunnel)],
    advisory,
    now: ctx.now(),
  });
  await applyStatusIfChanged(ctx.client, rev, status, fieldManager);
  if (problem) await ctx.events.record(rev, 'Warning', problem.eventReason, 'Reconcile', problem.message);
  if (discoveryWarning)
    await ctx.events.record(rev, 'Warning', 'NamespaceNotDiscovered', 'Reconcile', discoveryWarning);
  if (applyError) throw applyError;
  return {};
}

/** A label the user can add: the first matchLabels pair of the first selector, when there is one. */
function selectorHint(spec: IstioRevisionSpec): string {
  const first = Object.entries(spec.values.meshConfig?.discoverySelectors?.[0]?.matchLabels ?? {})[0];
  return first ? `${first[0]}=${first[1]}` : '<label matching a selector>';
}
