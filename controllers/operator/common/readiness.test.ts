import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { daemonSetReadiness, deploymentReadiness } from './readiness.ts';

const deployment = (spec: object, status: object, generation = 2): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'istiod', generation },
  spec,
  status,
});
const ds = (status: object, generation = 1): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'ztunnel', generation },
  status,
});
const done = { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };

describe('Deployment readiness (kstatus rules, Sail messages)', () => {
  test.each([
    ['missing', undefined, false, 'istiod Deployment not found'],
    ['rolled out', deployment({ replicas: 1 }, done), true, ''],
    ['scaled to zero', deployment({ replicas: 0 }, done), false, 'istiod Deployment is scaled to zero replicas'],
    [
      'new generation not observed',
      deployment({}, { ...done, observedGeneration: 1 }),
      false,
      'istiod Deployment rollout has not been observed yet',
    ],
    [
      'mid-rollout: old pod ready, new one not updated',
      deployment({ replicas: 1 }, { ...done, updatedReplicas: 0 }),
      false,
      'not all istiod pods are updated (0/1)',
    ],
    [
      'surge pod still there',
      deployment({ replicas: 1 }, { ...done, replicas: 2 }),
      false,
      'old istiod pods are still terminating',
    ],
    ['not ready', deployment({ replicas: 1 }, { ...done, readyReplicas: 0 }), false, 'not all istiod pods are ready'],
  ])('%s', (_, d, ready, message) => {
    expect(deploymentReadiness(d, 'istiod')).toEqual({ ready, message });
  });
});

describe('DaemonSet readiness', () => {
  const full = {
    observedGeneration: 1,
    desiredNumberScheduled: 2,
    currentNumberScheduled: 2,
    updatedNumberScheduled: 2,
    numberReady: 2,
    numberAvailable: 2,
  };
  test.each([
    ['missing', undefined, false, 'ztunnel DaemonSet not found'],
    ['all ready', ds(full), true, ''],
    ['no status yet', ds({}), false, 'ztunnel DaemonSet rollout has not been observed yet'],
    [
      'nothing scheduled',
      ds({ ...full, desiredNumberScheduled: 0, currentNumberScheduled: 0 }),
      false,
      'no ztunnel pods are currently scheduled',
    ],
    [
      'rolling: one node updated of two',
      ds({ ...full, updatedNumberScheduled: 1 }),
      false,
      'not all ztunnel pods are updated',
    ],
    ['one pod not ready', ds({ ...full, numberReady: 1 }), false, 'not all ztunnel pods are ready'],
  ])('%s', (_, d, ready, message) => {
    expect(daemonSetReadiness(d, 'ztunnel')).toEqual({ ready, message });
  });
});
