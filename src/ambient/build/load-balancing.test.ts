import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { serviceIpFamilies, serviceLoadBalancing, trafficDistributionAnnotation } from './load-balancing.ts';

const svc = (spec: object, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'n', ...(annotations ? { annotations } : {}) },
  spec,
});

describe('serviceLoadBalancing (as istiod derives it)', () => {
  test('traffic distribution from the field, else from the annotation', () => {
    const zone = { mode: 'FAILOVER', routingPreference: ['NETWORK', 'REGION', 'ZONE'] };
    expect(serviceLoadBalancing(svc({ trafficDistribution: 'PreferClose' }))).toEqual(zone);
    expect(serviceLoadBalancing(svc({}, { [trafficDistributionAnnotation]: 'PreferSameZone' }))).toEqual(zone);
    expect(serviceLoadBalancing(svc({ trafficDistribution: 'PreferSameNode' }))).toEqual({
      mode: 'FAILOVER',
      routingPreference: ['NETWORK', 'REGION', 'ZONE', 'SUBZONE', 'NODE'],
    });
    expect(serviceLoadBalancing(svc({}))).toBeUndefined();
  });

  test('internalTrafficPolicy Local wins over distribution; publishNotReadyAddresses adds ALLOW_ALL', () => {
    expect(serviceLoadBalancing(svc({ trafficDistribution: 'PreferClose', internalTrafficPolicy: 'Local' }))).toEqual({
      mode: 'STRICT',
      routingPreference: ['NODE'],
    });
    expect(serviceLoadBalancing(svc({ publishNotReadyAddresses: true }))).toEqual({ healthPolicy: 'ALLOW_ALL' });
  });

  test('ipFamilies from the spec, headless Services included', () => {
    expect(serviceIpFamilies(svc({ clusterIP: 'None', ipFamilies: ['IPv4'] }))).toBe('IPV4_ONLY');
    expect(serviceIpFamilies(svc({ ipFamilies: ['IPv6', 'IPv4'] }))).toBe('DUAL');
    expect(serviceIpFamilies(svc({}))).toBeUndefined();
  });
});
