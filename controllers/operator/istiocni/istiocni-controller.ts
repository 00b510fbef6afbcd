// IstioCNI → the istio-cni-node DaemonSet: observe the CR and its namespace, compute the values and objects, apply
// what changed, report Reconciled/Ready. A missing namespace or an unusable version is reported and waits for the
// next change (no retry loop); an API failure is reported and retried with backoff.
import type { Logger } from 'winston';
import type { IstioCNISpec } from '../../../src/api/sailoperator/istiocni.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { controllerRef, type KubeObject } from '../../../src/kube/objects.ts';
import { applyIntentOrError } from '../common/apply.ts';
import type { OperatorContext } from '../common/context.ts';
import { addFinalizer, hasFinalizer } from '../common/finalizers.ts';
import { daemonSetReadiness } from '../common/readiness.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { renderCni } from '../../../src/render/cni.ts';
import { computeCniValues } from '../../../src/render/values/compute.ts';
import { componentStatus } from '../common/component-status.ts';
import { finalize } from '../common/finalize.ts';
import { checkInstall, invalidValues, type InstallProblem } from '../common/install-check.ts';

export const fieldManager = 'ambit-istiocni';
const daemonSetName = 'istio-cni-node';

export async function reconcileIstioCni(ctx: OperatorContext, key: string, log: Logger): Promise<ReconcileResult> {
  // Observe.
  const cni = ctx.caches.cnis.get(key);
  if (!cni) return {};
  if (cni.metadata.deletionTimestamp) return finalize(ctx, cni, fieldManager, log);
  if (!hasFinalizer(cni)) await addFinalizer(ctx, cni, fieldManager);
  const spec = cni['spec'] as IstioCNISpec;

  // Compute.
  const checked = checkInstall(spec, ctx.caches.namespaces.get(spec.namespace));
  let problem: InstallProblem | undefined = checked.problem;
  let objects: KubeObject[] = [];
  if (!problem && checked.version) {
    try {
      const values = computeCniValues({
        profile: spec.profile,
        userValues: spec.values,
        platform: ctx.settings.platform,
      });
      objects = renderCni({
        owner: controllerRef(cni),
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
  const applyError = problem ? undefined : await applyIntentOrError(ctx, cni.metadata.uid!, objects, fieldManager, log);

  // Report.
  const reconcileError = problem?.message ?? (applyError && `error reconciling resource: ${applyError.message}`);
  const status = componentStatus({
    generation: cni.metadata.generation ?? 0,
    previous: (cni['status'] as { conditions?: [] } | undefined)?.conditions,
    reconcileError,
    readiness: daemonSetReadiness(ctx.caches.owned.get('DaemonSet')?.get(daemonSetName, spec.namespace), daemonSetName),
    notReadyReason: 'DaemonSetNotReady',
    now: ctx.now(),
  });
  await applyStatusIfChanged(ctx.client, cni, status, fieldManager);
  if (problem) await ctx.events.record(cni, 'Warning', problem.eventReason, 'Reconcile', problem.message);
  if (applyError) throw applyError;
  return {};
}
