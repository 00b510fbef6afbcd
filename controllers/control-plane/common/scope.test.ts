import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { clusterDomainOf, parseMesh, parseValues } from './mesh-config.ts';
import { isMine, namespaceInScope, requestedRevision } from './scope.ts';

const obj = (kind: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name: 'x', labels },
});

describe('control plane scope', () => {
  test('discoverySelectors select namespaces; none selects all', () => {
    const selectors = [{ matchLabels: { 'istio-discovery': 'enabled' } }];
    expect(namespaceInScope(obj('Namespace', { 'istio-discovery': 'enabled' }), selectors)).toBe(true);
    expect(namespaceInScope(obj('Namespace'), selectors)).toBe(false);
    expect(namespaceInScope(obj('Namespace'), undefined)).toBe(true);
    expect(namespaceInScope(undefined, undefined)).toBe(false);
  });

  test("a Gateway's revision: its own label, else its namespace's, else default; tags count as the revision", () => {
    expect(
      requestedRevision(obj('Gateway', { 'istio.io/rev': 'canary' }), obj('Namespace', { 'istio.io/rev': 'x' })),
    ).toBe('canary');
    expect(requestedRevision(obj('Gateway'), obj('Namespace', { 'istio.io/rev': 'prod' }))).toBe('prod');
    expect(requestedRevision(obj('Gateway'), obj('Namespace'))).toBe('default');
    expect(isMine('prod', new Set(['canary', 'prod']))).toBe(true);
    expect(isMine('default', new Set(['canary']))).toBe(false);
  });

  test('mesh config: discoverySelectors, trust domain and root namespace with their defaults', () => {
    expect(
      parseMesh({ mesh: 'discoverySelectors:\n- matchLabels: {a: b}\ntrustDomain: example.org\n' }, 'istio-system'),
    ).toEqual({
      discoverySelectors: [{ matchLabels: { a: 'b' } }],
      trustDomain: 'example.org',
      rootNamespace: 'istio-system',
    });
    expect(parseMesh(undefined, 'ns')).toEqual({
      discoverySelectors: undefined,
      trustDomain: 'cluster.local',
      rootNamespace: 'ns',
    });
    expect(() => parseMesh({ mesh: 'discoverySelectors: 3' }, 'ns')).toThrow('mesh config');
  });

  test('the cluster domain comes from values.global.proxy.clusterDomain, cluster.local by default', () => {
    expect(
      clusterDomainOf(parseValues({ 'merged-values': '{"global":{"proxy":{"clusterDomain":"corp.example"}}}' })),
    ).toBe('corp.example');
    expect(clusterDomainOf(parseValues(undefined))).toBe('cluster.local');
    expect(clusterDomainOf({ global: { proxy: { clusterDomain: '' } } })).toBe('cluster.local');
  });
});
