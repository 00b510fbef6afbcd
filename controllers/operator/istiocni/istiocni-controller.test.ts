import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { computeIntent } from '../common/component-reconciler.ts';
import { istioCni, type CniObserved } from './istiocni-controller.ts';

const now = new Date('2026-12-07T10:00:00Z');
const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-cni' } };
const observed = (spec: object, more: Partial<CniObserved> = {}): CniObserved => ({
  cr: { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default', uid: 'u1', generation: 2 } },
  spec: { version: 'v1.32.0', profile: 'ambient', namespace: 'istio-cni', ...spec },
  namespace,
  daemonSet: undefined,
  platform: 'kubernetes',
  managedBy: 'ambit',
  ...more,
});
const kinds = (intent: ReturnType<typeof computeIntent>) =>
  'objects' in intent ? intent.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`) : [];

describe('IstioCNI pure parts', () => {
  test.each([
    ['a missing namespace', observed({}, { namespace: undefined }), 'NamespaceNotFound'],
    ['an end-of-life version', observed({ version: 'v1.28.0' }), 'VersionEndOfLife'],
    ['values a renderer refuses', observed({ profile: 'no-such-profile' }), 'InvalidValues'],
  ])('%s is a problem to report, with nothing installed', (_name, o, reason) => {
    const intent = computeIntent(istioCni, o);
    expect('problem' in intent && intent.problem.eventReason).toBe(reason);
  });

  test('a usable CR installs the istio-cni-node DaemonSet into its namespace, owned by the CR', () => {
    const intent = computeIntent(istioCni, observed({}));
    expect(kinds(intent)).toContain('DaemonSet/istio-cni/istio-cni-node');
    const owners = 'objects' in intent ? intent.objects.map((o) => o.metadata.ownerReferences?.[0]?.uid) : [];
    expect(new Set(owners)).toEqual(new Set(['u1']));
  });

  test('status: Reconciled from the outcome, Ready from the DaemonSet, Sail state from the first failing', () => {
    const failed = istioCni.report(observed({}), { reconcileError: 'validation error: x' }, now).status;
    expect(failed).toMatchObject({
      observedGeneration: 2,
      state: 'ReconcileError',
      conditions: [
        { type: 'Reconciled', status: 'False', reason: 'ReconcileError', message: 'validation error: x' },
        { type: 'Ready', status: 'False', reason: 'DaemonSetNotReady', message: 'istio-cni-node DaemonSet not found' },
      ],
    });
    const daemonSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'istio-cni-node', generation: 1 },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 1,
        currentNumberScheduled: 1,
        updatedNumberScheduled: 1,
        numberReady: 1,
        numberAvailable: 1,
      },
    };
    const healthy = istioCni.report(observed({}, { daemonSet }), { reconcileError: undefined }, now).status;
    expect(healthy).toMatchObject({ state: 'Healthy' });
  });
});
