import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { computeIntent } from '../common/component-reconciler.ts';
import { istioRevisionTag } from './istiorevisiontag-controller.ts';

const now = new Date('2026-12-07T10:00:00Z');
const tag: KubeObject = {
  apiVersion: 'sailoperator.io/v1',
  kind: 'IstioRevisionTag',
  metadata: { name: 'prod', generation: 3 },
};

describe('IstioRevisionTag pure parts', () => {
  test('installs nothing', () => {
    expect(
      computeIntent(istioRevisionTag, {
        tag,
        target: { ok: false, reason: 'RefNotFound', message: 'm' },
        namespaces: [],
      }),
    ).toEqual({
      objects: [],
    });
  });

  test('a resolved tag names its revision and namespace; an unresolved one warns with Sail’s reason', () => {
    const resolved = istioRevisionTag.report(
      { tag, target: { ok: true, revision: 'default-v1-32-0', namespace: 'istio-system' }, namespaces: [] },
      { reconcileError: undefined },
      now,
    );
    expect(resolved.status).toMatchObject({
      observedGeneration: 3,
      state: 'NotReferencedByAnything',
      istioRevision: 'default-v1-32-0',
      istiodNamespace: 'istio-system',
    });
    expect(resolved.warnings).toEqual([]);
    const target = {
      ok: false as const,
      reason: 'NameAlreadyExists' as const,
      message: 'an IstioRevision exists with this name',
    };
    const refused = istioRevisionTag.report({ tag, target, namespaces: [] }, { reconcileError: undefined }, now);
    expect(refused.status).toMatchObject({ state: 'NameAlreadyExists', istioRevision: '' });
    expect(refused.warnings).toEqual([{ reason: 'NameAlreadyExists', message: target.message }]);
  });
});
