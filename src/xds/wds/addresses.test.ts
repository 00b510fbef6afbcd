import { describe, expect, test } from '@jest/globals';
import { addressResources } from './addresses.ts';
import { formatIp } from '../../net/ip.ts';
import { MeshModel } from '../model/model.ts';

const ips = (base64: unknown) => (base64 as string[]).map((b) => formatIp(Buffer.from(b, 'base64')));

const model = (trustDomain: string) =>
  MeshModel.parse({
    trustDomain,
    network: 'n1',
    services: [{ name: 's', namespace: 'ns', hostname: 's.ns.svc.cluster.local', vips: ['10.96.0.1', 'fd00::1'] }],
    workloads: [
      {
        uid: 'c//Pod/ns/p',
        name: 'p',
        namespace: 'ns',
        addresses: ['10.244.0.1', 'FD00:0:0:0:0:0:0:2', 'p.example'],
        authorizationPolicies: ['ns/z', 'ns/a'],
      },
    ],
  });

describe('addressResources', () => {
  const resources = addressResources(model('cluster.local'));
  const workload = resources.get('c//Pod/ns/p') as { workload: Record<string, unknown> };
  const service = resources.get('ns/s.ns.svc.cluster.local') as { service: { addresses: Record<string, unknown>[] } };

  test('carries the IPs as bytes, leaving out what is not an IP', () => {
    expect(ips(workload.workload['addresses'])).toEqual(['10.244.0.1', 'fd00::2']);
    expect(ips(service.service.addresses.map((a) => a['address']))).toEqual(['10.96.0.1', 'fd00::1']);
    expect(service.service.addresses.map((a) => a['network'])).toEqual(['n1', 'n1']);
  });

  test('leaves out the default trust domain only', () => {
    expect(workload.workload).not.toHaveProperty('trustDomain');
    const other = addressResources(model('corp.example')).get('c//Pod/ns/p') as { workload: object };
    expect(other.workload).toHaveProperty('trustDomain', 'corp.example');
  });

  test('sorts the policy names', () => {
    expect(workload.workload['authorizationPolicies']).toEqual(['ns/a', 'ns/z']);
  });
});
