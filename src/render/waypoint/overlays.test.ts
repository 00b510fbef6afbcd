import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { WaypointRenderError } from './errors.ts';
import { applyOverlays, overlayKeys } from './overlays.ts';

const owner = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'gw', uid: 'u1', controller: true };

function object(kind: string, apiVersion = 'v1'): KubeObject {
  return { apiVersion, kind, metadata: { name: 'gw', namespace: 'ns', ownerReferences: [{ ...owner }] } };
}

const rendered = (): KubeObject[] => [
  object('ServiceAccount'),
  { ...object('Deployment', 'apps/v1'), spec: { template: { spec: { containers: [{ name: 'istio-proxy' }] } } } },
  object('Service'),
  object('HorizontalPodAutoscaler', 'autoscaling/v2'),
  object('PodDisruptionBudget', 'policy/v1'),
];

function renderError(fn: () => unknown): WaypointRenderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WaypointRenderError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('applyOverlays', () => {
  test('lists the supported keys in sorted order', () => {
    expect(overlayKeys).toEqual([
      'deployment',
      'horizontalPodAutoscaler',
      'podDisruptionBudget',
      'service',
      'serviceAccount',
    ]);
  });

  test('refuses a key that names no kind, in istiod words', () => {
    const error = renderError(() => applyOverlays(rendered(), [{ deployment: '{}' }, { daemonSet: 'x', zz: 'y' }]));
    expect(error.message).toBe(
      'unsupported overlay "daemonSet" (supported: [deployment horizontalPodAutoscaler podDisruptionBudget service serviceAccount])',
    );
    expect(error.reason).toBe('InvalidParameters');
  });

  test('drops the autoscaler and budget unless an overlay names them, even with an empty patch', () => {
    expect(applyOverlays(rendered(), []).map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service']);
    const kinds = applyOverlays(rendered(), [{ podDisruptionBudget: '' }]).map((o) => o.kind);
    expect(kinds).toEqual(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget']);
  });

  test('applies overlays in order, the later winning', () => {
    const [, deployment] = applyOverlays(rendered(), [
      { deployment: 'spec: {replicas: 2, paused: true}' },
      { deployment: 'spec: {replicas: 3}' },
    ]);
    expect(deployment?.['spec']).toMatchObject({ replicas: 3, paused: true });
  });

  test('refuses a patch that changes what an object is', () => {
    const patches = [
      'metadata: {name: other}',
      'metadata: {namespace: other}',
      'metadata: {uid: x}',
      'metadata: {resourceVersion: "1"}',
      'metadata: {generation: 2}',
      'metadata: {finalizers: [example.com/keep]}',
      'metadata: {ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: x, uid: u2}]}',
      'metadata: {managedFields: [{manager: me}]}',
      'metadata: null',
      'kind: Secret',
    ];
    for (const patch of patches) {
      const error = renderError(() => applyOverlays(rendered(), [{ serviceAccount: patch }]));
      expect({ patch, message: error.message }).toEqual({ patch, message: 'illegal metadata change' });
    }
  });

  test('allows labels and annotations to change', () => {
    const [sa] = applyOverlays(rendered(), [{ serviceAccount: 'metadata: {labels: {a: b}, annotations: {c: d}}' }]);
    expect(sa?.metadata).toMatchObject({ labels: { a: 'b' }, annotations: { c: 'd' } });
  });

  test('refuses a patch that is not a YAML map', () => {
    for (const patch of ['[1, 2]', 'just text', 'a: [unclosed']) {
      const error = renderError(() => applyOverlays(rendered(), [{ service: patch }]));
      expect(error.message).toBe('strategic merge patch failed: invalid JSON document');
    }
  });

  test('reports a patch Kubernetes would refuse as a failed strategic merge patch', () => {
    const error = renderError(() =>
      applyOverlays(rendered(), [{ deployment: 'spec: {template: {spec: {containers: [{image: x}]}}}' }]),
    );
    expect(error.message).toBe(
      'strategic merge patch failed: map: {"image":"x"} does not contain declared merge key: name',
    );
  });
});
