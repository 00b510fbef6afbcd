import { describe, expect, test } from '@jest/globals';
import type { Informer } from './informer.ts';
import type { KubeObject } from './objects.ts';
import { ownerKeys, selfUnlessStatusOnly } from './watches.ts';

const gateway = (resourceVersion: string, extra: Partial<KubeObject> = {}, labels = {}): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'wp', namespace: 'ns', resourceVersion, generation: 1, labels },
  spec: { gatewayClassName: 'istio-waypoint' },
  ...extra,
});

describe('selfUnlessStatusOnly', () => {
  const keys = (o: KubeObject, old?: KubeObject) => [
    ...selfUnlessStatusOnly(undefined as unknown as Informer<KubeObject>).keys(o, old),
  ];

  test('adds, deletes, spec, label and annotation changes and resyncs wake the object', () => {
    const g = gateway('1');
    expect(keys(g)).toEqual(['ns/wp']);
    expect(keys(g, g)).toEqual(['ns/wp']);
    expect(keys(gateway('2', { spec: { gatewayClassName: 'other' } }), g)).toEqual(['ns/wp']);
    expect(keys(gateway('2', {}, { 'istio.io/rev': 'canary' }), g)).toEqual(['ns/wp']);
  });

  test('a write of the status alone does not', () => {
    const before = gateway('1', { status: { conditions: [] } });
    const after = gateway('2', { status: { conditions: [{ type: 'Programmed', status: 'False' }] } });
    expect(keys(after, before)).toEqual([]);
  });
});

describe('ownerKeys', () => {
  const owned: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 's',
      namespace: 'ns',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Gateway', name: 'wp', uid: 'u1' },
        { apiVersion: 'v1', kind: 'IstioRevision', name: 'default', uid: 'u2', controller: true },
      ],
    },
  };
  test('the controller reference only unless any reference counts; namespaced owners in the object’s namespace', () => {
    expect(ownerKeys(owned, 'Gateway', { namespaced: true })).toEqual([]);
    expect(ownerKeys(owned, 'Gateway', { namespaced: true, anyReference: true })).toEqual(['ns/wp']);
    expect(ownerKeys(owned, 'IstioRevision', { namespaced: false })).toEqual(['default']);
  });
});
