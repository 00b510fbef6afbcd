// ZTunnel → the ztunnel DaemonSet, pointed at the control plane it targets (or the default one): observe the CR,
// its namespace and its target, compute values and objects, apply what changed, report Reconciled/Ready and
// status.istioRevision.
import type { Logger } from 'winston';
import type { ZTunnelSpec } from '../../../src/api/sailoperator/ztunnel.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { controllerRef, type KubeObject } from '../../../src/kube/objects.ts';
import { applyIntentOrError } from '../common/apply.ts';
import type { OperatorContext } from '../common/context.ts';
import { addFinalizer, hasFinalizer } from '../common/finalizers.ts';
import { daemonSetReadiness } from '../common/readiness.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { computeZTunnelValues } from '../../../src/render/values/compute.ts';
import { renderZTunnel } from '../../../src/render/ztunnel.ts';
import { componentStatus } from '../common/component-status.ts';
import { finalize } from '../common/finalize.ts';
import { checkInstall, invalidValues, type InstallProblem } from '../common/install-check.ts';
import { resolveTarget } from './target.ts';

export const fieldManager = 'ambit-ztunnel';
const daemonSetName = 'ztunnel';

export async function reconcileZTunnel(ctx: OperatorContext, key: string, log: Logger): Promise<ReconcileResult> {
  // Observe.
  const zt = ctx.caches.ztunnels.get(key);
  if (!zt) return {};
  if (zt.metadata.deletionTimestamp) return finalize(ctx, zt, fieldManager, log);
  if (!hasFinalizer(zt)) await addFinalizer(ctx, zt, fieldManager);
  const spec = zt['spec'] as ZTunnelSpec;
  const target = resolveTarget(
    spec.targetRef,
    (n) => ctx.caches.istios.get(n),
    (n) => ctx.caches.revisions.get(n),
  );

  // Compute.
  const checked = checkInstall(spec, ctx.caches.namespaces.get(spec.namespace));
  let problem: InstallProblem | undefined = checked.problem;
  if (!problem && target.kind === 'missing') problem = { eventReason: 'InvalidValues', message: target.message };
  let objects: KubeObject[] = [];
  if (!problem && checked.version) {
    try {
      const values = computeZTunnelValues({
        userValues: spec.values,
        platform: ctx.settings.platform,
        revisionValues: target.kind === 'resolved' ? target.values : undefined,
      });
      objects = renderZTunnel({
        owner: controllerRef(zt),
        managedBy: ctx.settings.managedBy,
        version: checked.version,
        namespace: spec.namespace,
        values,
      });
    } catch (err) {
      problem = invalidValues(err);
    }
  }

  // Apply.
  const applyError = problem ? undefined : await applyIntentOrError(ctx, zt.metadata.uid!, objects, fieldManager, log);

  // Report.
  const status = {
    ...componentStatus({
      generation: zt.metadata.generation ?? 0,
      previous: (zt['status'] as { conditions?: [] } | undefined)?.conditions,
      reconcileError: problem?.message ?? (applyError && `error reconciling resource: ${applyError.message}`),
      readiness: daemonSetReadiness(
        ctx.caches.owned.get('DaemonSet')?.get(daemonSetName, spec.namespace),
        daemonSetName,
      ),
      notReadyReason: 'DaemonSetNotReady',
      now: ctx.now(),
    }),
    istioRevision: target.kind === 'resolved' ? target.revision : '',
  };
  await applyStatusIfChanged(ctx.client, zt, status, fieldManager);
  if (problem) await ctx.events.record(zt, 'Warning', problem.eventReason, 'Reconcile', problem.message);
  if (applyError) throw applyError;
  return {};
}
