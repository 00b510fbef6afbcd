import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { computeIntent } from '../common/component-reconciler.ts';
import { istioRevision, type RevisionObserved } from './istiorevision-controller.ts';

const now = new Date('2026-12-07T10:00:00Z');
const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const observed = (values: object, more: Partial<RevisionObserved> = {}): RevisionObserved => ({
  rev: { apiVersion: 'sailoperator.io/v1', kind: 'IstioRevision', metadata: { name: 'default', uid: 'r1' } },
  spec: { version: 'v1.32.0', namespace: 'istio-system', values } as RevisionObserved['spec'],
  namespace: ns('istio-system'),
  cni: undefined,
  ztunnel: undefined,
  ztunnelNamespace: undefined,
  namespaces: [],
  tags: [],
  istiod: undefined,
  settings: { managedBy: 'ambit', controlPlaneImage: 'ambit:test', platform: 'kubernetes' },
  ...more,
});
const condition = (status: Record<string, unknown>, type: string) =>
  (status['conditions'] as { type: string }[]).find((c) => c.type === type);

describe('IstioRevision pure parts', () => {
  test('installs istiod running the control-plane image, or reports a missing namespace', () => {
    const intent = computeIntent(istioRevision, observed({ revision: '' }));
    const deployment = 'objects' in intent ? intent.objects.find((o) => o.kind === 'Deployment') : undefined;
    expect(deployment?.metadata.name).toBe('istiod');
    expect(JSON.stringify(deployment)).toContain('ambit:test');
    const missing = computeIntent(istioRevision, observed({}, { namespace: undefined }));
    expect('problem' in missing && missing.problem.eventReason).toBe('NamespaceNotFound');
  });

  test('an ambient revision depends on the IstioCNI and ZTunnel', () => {
    const status = istioRevision.report(observed({ profile: 'ambient' }), { reconcileError: undefined }, now).status;
    expect(condition(status, 'DependenciesHealthy')).toMatchObject({ status: 'False', reason: 'IstioCNINotFound' });
  });

  test('discoverySelectors that hide ztunnel’s namespace: a condition and a Warning saying which label to add', () => {
    const values = { meshConfig: { discoverySelectors: [{ matchLabels: { mesh: 'on' } }] } };
    const o = observed(values, { namespace: ns('istio-system', { mesh: 'on' }), ztunnelNamespace: ns('ztunnel') });
    const { status, warnings } = istioRevision.report(o, { reconcileError: undefined }, now);
    expect(condition(status, 'NamespacesDiscovered')).toMatchObject({ status: 'False' });
    expect(warnings).toEqual([
      { reason: 'NamespaceNotDiscovered', message: expect.stringContaining('kubectl label namespace ztunnel mesh=on') },
    ]);
    const seen = observed(values, {
      namespace: ns('istio-system', { mesh: 'on' }),
      ztunnelNamespace: ns('ztunnel', { mesh: 'on' }),
    });
    expect(istioRevision.report(seen, { reconcileError: undefined }, now).warnings).toEqual([]);
  });
});
