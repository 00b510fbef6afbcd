import { describe, expect, test } from '@jest/globals';
import type { KubeObject, OwnerReference } from '../kube/objects.ts';
import { canonicalLabels, podWorkloadName, workloadEntryName } from './workload-names.ts';

const pod = (name: string, labels: Record<string, string> = {}, owner?: Partial<OwnerReference>, generated = true) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels,
      ...(generated ? { generateName: `${name.replace(/-[a-z0-9]+$/, '')}-` } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', uid: 'u', controller: true, ...owner }] } : {}),
    },
  }) as KubeObject;

describe('podWorkloadName', () => {
  test.each([
    [
      'a Deployment, from its ReplicaSet',
      pod('web-5d9c7-x2x7q', { 'pod-template-hash': '5d9c7' }, { kind: 'ReplicaSet', name: 'web-5d9c7' }),
      'web',
    ],
    [
      'an Argo Rollout',
      pod('web-77f-abcde', { 'rollouts-pod-template-hash': '77f' }, { kind: 'ReplicaSet', name: 'web-77f' }),
      'web',
    ],
    ['a ReplicaSet of its own', pod('rs-abcde', {}, { kind: 'ReplicaSet', name: 'rs' }), 'rs'],
    [
      'a DeploymentConfig',
      pod('dc-1-abcde', { deploymentconfig: 'dc' }, { kind: 'ReplicationController', name: 'dc-1' }),
      'dc',
    ],
    ['a CronJob, from its Job', pod('backup-29000000-abcde', {}, { kind: 'Job', name: 'backup-29000000' }), 'backup'],
    ['a Job', pod('migrate-abcde', {}, { kind: 'Job', name: 'migrate' }), 'migrate'],
    ['a StatefulSet', pod('db-0', {}, { kind: 'StatefulSet', name: 'db' }), 'db'],
    ['a pod with no controller', pod('lonely', {}, undefined, false), 'lonely'],
    ['a pod not generated, though owned', pod('named', {}, { kind: 'StatefulSet', name: 'db' }, false), 'named'],
    [
      'the workload-name label, over everything',
      pod('web-5d9c7-x2x7q', { 'service.istio.io/workload-name': 'shop' }, { kind: 'ReplicaSet', name: 'web-5d9c7' }),
      'shop',
    ],
  ])('%s', (_what, p, name) => {
    expect(podWorkloadName(p)).toBe(name);
  });

  test('a ReplicaSet name that ends with the hash but not -hash is kept whole', () => {
    expect(
      podWorkloadName(
        pod('web5d9c7-abcde', { 'pod-template-hash': '5d9c7' }, { kind: 'ReplicaSet', name: 'web5d9c7' }),
      ),
    ).toBe('web5d9c7');
  });
});

describe('workloadEntryName and canonicalLabels', () => {
  test('auto-registration group, then the workload-name label, then the name', () => {
    expect(
      workloadEntryName('vm-1', { 'istio.io/autoRegistrationGroup': 'vms' }, { 'service.istio.io/workload-name': 'x' }),
    ).toBe('vms');
    expect(workloadEntryName('vm-1', {}, { 'service.istio.io/workload-name': 'x' })).toBe('x');
    expect(workloadEntryName('vm-1', {}, {})).toBe('vm-1');
  });

  test('canonical name and revision: Istio labels, then Kubernetes recommended labels, then app/version', () => {
    expect(canonicalLabels({ app: 'a', 'app.kubernetes.io/name': 'k' }, 'w')).toEqual(['k', 'latest']);
    expect(canonicalLabels({ app: 'a', version: 'v2', 'service.istio.io/canonical-revision': 'r' }, 'w')).toEqual([
      'a',
      'r',
    ]);
    expect(canonicalLabels({}, 'w')).toEqual(['w', 'latest']);
  });
});
