import { describe, expect, test } from '@jest/globals';
import { microTime } from './events.ts';
import { resourceOf, resourcePath, resources } from './resources.ts';

describe('resource paths', () => {
  test('core, named-group, cluster-scoped and subresource paths', () => {
    expect(resourcePath(resources.configMap, 'ns', 'c')).toBe('/api/v1/namespaces/ns/configmaps/c');
    expect(resourcePath(resources.deployment, 'ns')).toBe('/apis/apps/v1/namespaces/ns/deployments');
    expect(resourcePath(resources.deployment)).toBe('/apis/apps/v1/deployments');
    expect(resourcePath(resources.istio, undefined, 'default', 'status')).toBe(
      '/apis/sailoperator.io/v1/istios/default/status',
    );
    expect(() => resourcePath(resources.pod, undefined, 'p')).toThrow('namespaced');
  });

  test('objects map to their resource by apiVersion and kind', () => {
    expect(resourceOf({ apiVersion: 'apps/v1', kind: 'DaemonSet' })).toBe(resources.daemonSet);
    expect(() => resourceOf({ apiVersion: 'example.com/v1', kind: 'Widget' })).toThrow(
      'no API resource known for example.com/v1 Widget',
    );
  });

  test('MicroTime has six fractional digits', () => {
    expect(microTime(new Date('2026-12-01T10:00:00.123Z'))).toBe('2026-12-01T10:00:00.123000Z');
  });
});
