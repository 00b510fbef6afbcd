// IstioRevisionTag → which revision the tag stands for: Reconciled (RefNotFound, NameAlreadyExists), InUse, Sail's
// state (Reconciled then InUse), and status.istioRevision / istiodNamespace for the control plane to scope by.
// Ambient mode needs no injection webhooks, so a tag renders no objects. Woken by its CR, the Istio or revision it
// names (or a revision taking its name), and namespaces (which make it in use).
import type { Condition } from '../../../src/api/kube-types.ts';
import { deriveState, mergeConditions, type ConditionInput } from '../../../src/kube/conditions.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { everyOf, referrers, self } from '../../../src/kube/watches.ts';
import { reconcileComponent, type Component } from '../common/component-reconciler.ts';
import type { OperatorController } from '../common/context.ts';
import { targetRefDependsOn } from '../common/target-ref.ts';
import { resolveTag, tagInUse, type TagTarget } from './tag.ts';

export const fieldManager = 'ambit-istiorevisiontag';

export interface TagObserved {
  tag: KubeObject;
  target: TagTarget;
  namespaces: KubeObject[];
}

export const istioRevisionTag: Component<TagObserved> = {
  fieldManager,
  cache: (caches) => caches.tags,
  observe: (ctx, tag) => ({
    tag,
    target: resolveTag(
      tag,
      (n) => ctx.caches.istios.get(n),
      (n) => ctx.caches.revisions.get(n),
    ),
    namespaces: ctx.caches.namespaces.list(),
  }),
  desired: () => ({ objects: [] }),
  report: ({ tag, target, namespaces }, _outcome, now) => {
    const reconciled: ConditionInput = target.ok
      ? { type: 'Reconciled', status: 'True', reason: 'Reconciled', message: '' }
      : { type: 'Reconciled', status: 'False', reason: target.reason, message: target.message };
    const conditions = [reconciled, tagInUse(tag.metadata.name, namespaces)];
    const generation = tag.metadata.generation ?? 0;
    return {
      status: {
        observedGeneration: generation,
        conditions: mergeConditions(
          (tag['status'] as { conditions?: Condition[] } | undefined)?.conditions,
          conditions,
          generation,
          now,
        ),
        state: deriveState(conditions, ['Reconciled', 'InUse']),
        istioRevision: target.ok ? target.revision : '',
        istiodNamespace: target.ok ? target.namespace : '',
      },
      warnings: target.ok ? [] : [{ reason: target.reason, message: target.message }],
    };
  },
};

/** Whether a change to `o` (an Istio or IstioRevision) can change what the tag resolves to. */
const tagDependsOn = (tag: KubeObject, o: KubeObject) =>
  targetRefDependsOn(tag, o) || tag.metadata.name === o.metadata.name;

export const istioRevisionTagController: OperatorController = {
  name: 'istiorevisiontag',
  reconcile: reconcileComponent(istioRevisionTag),
  watches: ({ caches }) => [
    self(caches.tags),
    referrers(caches.istios, caches.tags, tagDependsOn),
    referrers(caches.revisions, caches.tags, tagDependsOn),
    everyOf(caches.namespaces, caches.tags),
  ],
};
