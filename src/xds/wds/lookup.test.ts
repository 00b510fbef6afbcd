import { describe, expect, test } from '@jest/globals';
import { lookupAddresses, resolveAddressNames } from './lookup.ts';
import { MeshModel } from '../model/model.ts';

const model = MeshModel.parse({
  network: 'net-1',
  services: [
    { name: 'web', namespace: 'demo', hostname: 'web.demo.svc.cluster.local', vips: ['10.96.0.10', 'fd00:10:96::a'] },
    { name: 'db', namespace: 'demo', hostname: 'db.demo.svc.cluster.local', vips: ['10.96.0.11'] },
  ],
  workloads: [
    {
      uid: 'Kubernetes//Pod/demo/web-0',
      name: 'web-0',
      namespace: 'demo',
      network: 'net-1',
      addresses: ['10.244.0.5', 'fd00:10:244::5'],
      services: { 'demo/web.demo.svc.cluster.local': { 80: 8080 } },
    },
    {
      uid: 'Kubernetes//Pod/demo/web-1',
      name: 'web-1',
      namespace: 'demo',
      network: 'net-1',
      addresses: ['10.244.0.6'],
      services: { 'demo/web.demo.svc.cluster.local': { 80: 8080 } },
    },
    // The same IP on another network is another workload.
    { uid: 'west//Pod/demo/web-0', name: 'web-0', namespace: 'demo', network: 'net-2', addresses: ['10.244.0.5'] },
  ],
});

const names = (m: Map<string, unknown>) => [...m.keys()].sort();

describe('resolveAddressNames', () => {
  test('finds a workload by UID', () => {
    expect(names(resolveAddressNames(model, ['Kubernetes//Pod/demo/web-1']))).toEqual(['Kubernetes//Pod/demo/web-1']);
  });

  test('finds the workload with an IP on that network only', () => {
    expect(names(resolveAddressNames(model, ['net-1/10.244.0.5']))).toEqual(['Kubernetes//Pod/demo/web-0']);
    expect(names(resolveAddressNames(model, ['net-2/10.244.0.5']))).toEqual(['west//Pod/demo/web-0']);
    expect(names(resolveAddressNames(model, ['net-3/10.244.0.5']))).toEqual([]);
  });

  test('matches IPv6 in any spelling', () => {
    const found = resolveAddressNames(model, ['net-1/FD00:10:244:0:0:0:0:5']);
    expect(names(found)).toEqual(['Kubernetes//Pod/demo/web-0']);
  });

  test('answers a VIP with the Service and the workloads behind it', () => {
    const all = ['Kubernetes//Pod/demo/web-0', 'Kubernetes//Pod/demo/web-1', 'demo/web.demo.svc.cluster.local'];
    expect(names(resolveAddressNames(model, ['net-1/10.96.0.10']))).toEqual(all);
    expect(names(resolveAddressNames(model, ['net-1/fd00:10:96::a']))).toEqual(all);
    expect(names(resolveAddressNames(model, ['net-2/10.96.0.10']))).toEqual([]);
  });

  test('answers a Service name with the Service and its workloads', () => {
    expect(names(resolveAddressNames(model, ['demo/db.demo.svc.cluster.local']))).toEqual([
      'demo/db.demo.svc.cluster.local',
    ]);
    expect(names(resolveAddressNames(model, ['demo/web.demo.svc.cluster.local']))).toHaveLength(3);
  });

  test('returns the same resources as the full set', () => {
    const found = resolveAddressNames(model, ['net-1/10.244.0.6']);
    expect(found.get('Kubernetes//Pod/demo/web-1')).toMatchObject({
      workload: { uid: 'Kubernetes//Pod/demo/web-1', network: 'net-1', addresses: ['CvQABg=='] },
    });
  });
});

describe('lookupAddresses', () => {
  test('reports names that resolve to nothing', () => {
    const { resources, notFound } = lookupAddresses(model, [
      'net-1/10.1.2.3',
      'demo/missing.demo.svc.cluster.local',
      'Kubernetes//Pod/demo/gone',
      'net-1/10.244.0.6',
    ]);
    expect(notFound).toEqual(['net-1/10.1.2.3', 'demo/missing.demo.svc.cluster.local', 'Kubernetes//Pod/demo/gone']);
    expect(names(resources)).toEqual(['Kubernetes//Pod/demo/web-1']);
  });

  test('gives each resource its canonical <network>/<ip> aliases', () => {
    const { aliases } = lookupAddresses(model, ['net-1/10.96.0.10']);
    expect(aliases.get('demo/web.demo.svc.cluster.local')).toEqual(['net-1/10.96.0.10', 'net-1/fd00:10:96::a']);
    expect(aliases.get('Kubernetes//Pod/demo/web-0')).toEqual(['net-1/10.244.0.5', 'net-1/fd00:10:244::5']);
  });
});
