import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { selects } from '../../../src/kube/label-selector.ts';
import { dependenciesCondition, inUseCondition, undiscoveredNamespaces } from './dependencies.ts';

const cr = (kind: string, state?: string, extra: object = {}): KubeObject => ({
  apiVersion: 'sailoperator.io/v1',
  kind,
  metadata: { name: 'default' },
  status: { ...(state ? { state } : {}), ...extra },
});
const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

describe('DependenciesHealthy', () => {
  test('progresses IstioCNINotFound → ZTunnelNotFound → True for an ambient revision', () => {
    expect(dependenciesCondition(true, true, undefined, undefined).reason).toBe('IstioCNINotFound');
    expect(dependenciesCondition(true, true, cr('IstioCNI', 'DaemonSetNotReady'), undefined).reason).toBe(
      'IstioCNINotHealthy',
    );
    expect(dependenciesCondition(true, true, cr('IstioCNI', 'Healthy'), undefined)).toMatchObject({
      reason: 'ZTunnelNotFound',
      message: 'ZTunnel resource does not exist',
    });
    expect(dependenciesCondition(true, true, cr('IstioCNI', 'Healthy'), cr('ZTunnel', 'ReconcileError')).reason).toBe(
      'ZTunnelNotHealthy',
    );
    expect(dependenciesCondition(true, true, cr('IstioCNI', 'Healthy'), cr('ZTunnel', 'Healthy')).status).toBe('True');
    expect(dependenciesCondition(false, false, undefined, undefined).status).toBe('True');
  });
});

describe('InUse', () => {
  test('namespace labels, ambient enrolment, the ZTunnel target and tags count', () => {
    expect(inUseCondition('default', [ns('a')], undefined, []).reason).toBe('NotReferencedByAnything');
    expect(inUseCondition('default', [ns('a', { 'istio-injection': 'enabled' })], undefined, []).status).toBe('True');
    expect(inUseCondition('canary', [ns('a', { 'istio.io/rev': 'canary' })], undefined, []).status).toBe('True');
    expect(inUseCondition('default', [ns('a', { 'istio.io/rev': 'canary' })], undefined, []).status).toBe('False');
    expect(inUseCondition('default', [ns('a', { 'istio.io/dataplane-mode': 'ambient' })], undefined, []).status).toBe(
      'True',
    );
    expect(inUseCondition('canary', [], cr('ZTunnel', 'Healthy', { istioRevision: 'canary' }), []).status).toBe('True');
    expect(
      inUseCondition('canary', [], undefined, [cr('IstioRevisionTag', 'Healthy', { istioRevision: 'canary' })]).status,
    ).toBe('True');
  });
});

describe('discoverySelectors', () => {
  test('label selectors match as Kubernetes does', () => {
    expect(selects({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {})).toBe(true);
    expect(selects({}, {})).toBe(true);
  });

  test('namespaces the control plane must see but the selectors leave out are named', () => {
    const values = { meshConfig: { discoverySelectors: [{ matchLabels: { 'istio-discovery': 'enabled' } }] } };
    const seen = [ns('istio-system', { 'istio-discovery': 'enabled' }), ns('ztunnel')];
    expect(undiscoveredNamespaces(values, seen)).toEqual(['ztunnel']);
    expect(undiscoveredNamespaces({}, seen)).toEqual([]);
  });
});
