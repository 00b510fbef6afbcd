// Istio → its IstioRevisions: observe the Istio (and the ZTunnel, whose namespace the control plane must trust),
// compute the active revision's values, apply the revision when its spec changed, prune inactive revisions after
// the grace period, and report the active revision's conditions and the revision counts. Woken by its CR, its
// revisions, and a ZTunnel appearing, going or moving namespace (the namespace the control plane trusts).
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'winston';
import type { IstioSpec } from '../../../src/api/sailoperator/istio.ts';
import type { ReconcileResult } from '../../../src/kube/controller.ts';
import { resources } from '../../../src/kube/resources.ts';
import { objectKey, type KubeObject } from '../../../src/kube/objects.ts';
import { owners, self } from '../../../src/kube/watches.ts';
import type { OperatorContext, OperatorController } from '../common/context.ts';
import { applyStatusIfChanged } from '../../../src/kube/status-apply.ts';
import { computeRevisionValues } from '../../../src/render/values/compute.ts';
import { checkVersion, installNamespace } from '../common/install-check.ts';
import { istioStatus } from './istio-status.ts';
import { activeRevisionName, desiredRevision, revisionsToPrune, withTrustedZtunnel } from './revisions.ts';

export const fieldManager = 'ambit-istio';
const defaultGraceSeconds = 30;

async function reconcileIstio(ctx: OperatorContext, key: string, log: Logger): Promise<ReconcileResult> {
  // Observe. Deleting an Istio needs nothing from us: its revisions are garbage collected with it.
  const istio = ctx.caches.istios.get(key);
  if (!istio || istio.metadata.deletionTimestamp) return {};
  const spec = istio['spec'] as IstioSpec;
  const activeName = activeRevisionName(istio);
  const owned = () =>
    ctx.caches.revisions.list(
      (r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === istio.metadata.uid) ?? false,
    );

  // Compute.
  let problem: string | undefined;
  let desired: KubeObject | undefined;
  const version = checkVersion(spec.version);
  if (!version.ok) problem = version.problem.message;
  else {
    try {
      const values = computeRevisionValues({
        istioName: istio.metadata.name,
        revisionName: activeName,
        namespace: spec.namespace,
        profile: spec.profile,
        userValues: spec.values,
        platform: ctx.settings.platform,
      });
      const trusted = withTrustedZtunnel(values, spec.values, ctx.caches.ztunnels.get('default'));
      desired = desiredRevision(istio, activeName, version.value.name, trusted, ctx.settings.managedBy);
    } catch (err) {
      problem = `validation error: ${(err as Error).message}`;
    }
  }

  // Apply.
  let applyError: Error | undefined;
  let recheckInMs: number | undefined;
  try {
    const current = ctx.caches.revisions.get(activeName);
    if (desired && !(current && isDeepStrictEqual(normalized(current['spec']), normalized(desired['spec'])))) {
      await ctx.client.apply(desired, fieldManager, true);
      log.info('applied IstioRevision', { revision: activeName });
    }
    if (desired) {
      const grace = spec.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds ?? defaultGraceSeconds;
      const decision = revisionsToPrune(owned(), activeName, grace, ctx.now());
      for (const name of decision.prune) {
        await ctx.client.delete(resources.istioRevision, name);
        log.info('pruned inactive IstioRevision', { revision: name });
        await ctx.events.record(
          istio,
          'Normal',
          'RevisionPruned',
          'Prune',
          `deleted IstioRevision ${name}: unused for ${grace}s`,
        );
      }
      recheckInMs = decision.recheckInMs;
    }
  } catch (err) {
    applyError = err as Error;
  }

  // Report.
  const status = istioStatus({
    istio,
    reconcileError: problem ?? (applyError && `error reconciling resource: ${applyError.message}`),
    activeName,
    active: ctx.caches.revisions.get(activeName),
    owned: owned(),
    now: ctx.now(),
  });
  await applyStatusIfChanged(ctx.client, istio, status, fieldManager);
  if (problem) await ctx.events.record(istio, 'Warning', 'InvalidSpec', 'Reconcile', problem);
  if (applyError) throw applyError;
  return recheckInMs === undefined ? {} : { requeueAfterMs: recheckInMs };
}

/** The spec as the API server stores it: without undefined fields. */
function normalized(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v ?? null)) as unknown;
}

export const istioController: OperatorController = {
  name: 'istio',
  reconcile: reconcileIstio,
  watches: ({ caches }) => [
    self(caches.istios),
    ...owners([caches.revisions], 'Istio', { namespaced: false }),
    {
      informer: caches.ztunnels,
      keys: (zt, old) =>
        old === undefined || installNamespace(old) !== installNamespace(zt) ? caches.istios.list().map(objectKey) : [],
    },
  ],
};
