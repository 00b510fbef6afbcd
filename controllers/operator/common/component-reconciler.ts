// The one reconcile of the operator's component kinds (IstioCNI, ZTunnel, IstioRevision, IstioRevisionTag), as Sail's
// StandardReconciler: get the CR from its cache, clean up on delete, add the finalizer, then observe → compute →
// apply → report with the pure parts each controller provides; a problem's or a failed apply's Warning Event is
// recorded after the status, and an apply error is rethrown so the key backs off. Each controller only says what it
// observes, what it wants installed (or why it cannot), and what its status reads.
import type { Logger } from 'winston';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import type { Informer } from '../../../src/kube/informer.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { applyIntentOrError } from './apply.ts';
import type { Caches } from './caches.ts';
import type { OperatorContext } from './context.ts';
import { finalize } from './finalize.ts';
import { addFinalizer, hasFinalizer } from './finalizers.ts';
import { invalidValues, type InstallProblem } from './install-check.ts';

/** A Warning Event: its reason and message. */
export interface Warning {
  reason: string;
  message: string;
}

/** How the reconcile went, for the status. */
export interface Outcome {
  /** Why the reconcile could not finish (a problem's message, or the failed apply); undefined when it did. */
  reconcileError: string | undefined;
}

export interface Component<Observed> {
  fieldManager: string;
  /** The cache that holds this kind. */
  cache: (caches: Caches) => Informer<KubeObject>;
  /** What the pure parts need from the CR, the caches and the settings (reads only). */
  observe: (ctx: OperatorContext, cr: KubeObject) => Observed;
  /** The objects to install, or why they cannot be; a throw counts as invalid values. Pure. */
  desired: (observed: Observed) => { objects: KubeObject[] } | { problem: InstallProblem };
  /** The status fields to write and any Warning Events beyond the problem's. Pure. */
  report: (
    observed: Observed,
    outcome: Outcome,
    now: Date,
  ) => { status: Record<string, unknown>; warnings?: Warning[] };
}

/** What the component wants installed, or its problem (values a renderer refused among them). Pure. */
export function computeIntent<Observed>(
  component: Component<Observed>,
  observed: Observed,
): { objects: KubeObject[] } | { problem: InstallProblem } {
  try {
    return component.desired(observed);
  } catch (err) {
    return { problem: invalidValues(err) };
  }
}

/** The reconcile function of a component: what a controller definition runs. */
export function reconcileComponent<Observed>(component: Component<Observed>) {
  return async (ctx: OperatorContext, key: string, log: Logger): Promise<ReconcileResult> => {
    // Observe.
    const cr = component.cache(ctx.caches).get(key);
    if (!cr) return {};
    if (cr.metadata.deletionTimestamp) return finalize(ctx, cr, component.fieldManager, log);
    if (!hasFinalizer(cr)) await addFinalizer(ctx, cr, component.fieldManager);
    const observed = component.observe(ctx, cr);

    // Compute.
    const intent = computeIntent(component, observed);
    const problem = 'problem' in intent ? intent.problem : undefined;
    const objects = 'objects' in intent ? intent.objects : [];

    // Apply.
    const applyError = problem
      ? undefined
      : await applyIntentOrError(ctx, cr.metadata.uid!, objects, component.fieldManager, log);

    // Report.
    const reconcileError = problem?.message ?? (applyError && `error reconciling resource: ${applyError.message}`);
    const { status, warnings = [] } = component.report(observed, { reconcileError }, ctx.now());
    if (await applyStatusIfChanged(ctx.client, cr, status, component.fieldManager))
      log.debug('status updated', { state: status['state'] });
    // A failed apply is an Event too (a values blob too large for a ConfigMap shows only there and in status).
    const failure = problem
      ? { reason: problem.eventReason, message: problem.message }
      : reconcileError && { reason: 'ReconcileError', message: reconcileError };
    const events = failure ? [failure, ...warnings] : warnings;
    for (const e of events) await ctx.events.record(cr, 'Warning', e.reason, 'Reconcile', e.message);
    if (applyError) throw applyError;
    return {};
  };
}
