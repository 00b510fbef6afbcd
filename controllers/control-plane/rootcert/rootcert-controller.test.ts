import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { publisherAnnotation, rootCertAction, rootCertObject } from './rootcert-controller.ts';

const existing = (root: string, by?: string): KubeObject => ({
  ...rootCertObject('app', root, by ?? ''),
  metadata: {
    name: 'istio-ca-root-cert',
    namespace: 'app',
    ...(by ? { annotations: { [publisherAnnotation]: by } } : {}),
  },
});

describe('rootCertAction', () => {
  test('writes when there is none', () => {
    expect(rootCertAction(undefined, 'ROOT', 'istio-system')).toBe('write');
  });
  test('writes nothing when ours is current (steady state)', () => {
    expect(rootCertAction(existing('ROOT', 'istio-system'), 'ROOT', 'istio-system')).toBe('none');
  });
  test('replaces our own stale root (a plugged CA replaced the self-signed one)', () => {
    expect(rootCertAction(existing('OLD', 'istio-system'), 'ROOT', 'istio-system')).toBe('write');
  });
  test("takes over one nobody marked (istiod's, or edited by hand)", () => {
    expect(rootCertAction(existing('OTHER'), 'ROOT', 'istio-system')).toBe('write');
  });
  test("leaves another mesh's different root alone, so two control planes never take turns", () => {
    expect(rootCertAction(existing('OTHER', 'mesh-b'), 'ROOT', 'istio-system')).toBe('foreign');
  });
  test('leaves one with our root whoever marked it (meshes sharing a plugged root must not trade the mark)', () => {
    expect(rootCertAction(existing('ROOT', 'mesh-b'), 'ROOT', 'istio-system')).toBe('none');
    expect(rootCertAction(existing('ROOT'), 'ROOT', 'istio-system')).toBe('none');
  });
});

describe('rootCertObject', () => {
  test("is istiod's ConfigMap: root-cert.pem, labelled istio.io/config", () => {
    const cm = rootCertObject('app', 'ROOT', 'istio-system');
    expect(cm.metadata).toMatchObject({
      name: 'istio-ca-root-cert',
      namespace: 'app',
      labels: { 'istio.io/config': 'true' },
    });
    expect(cm['data']).toEqual({ 'root-cert.pem': 'ROOT' });
  });
});
