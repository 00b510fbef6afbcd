import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../kube/objects.ts';
import { authorizeOnNode, type PodLookup } from './node-authorizer.ts';

const pod = (ns: string, name: string, sa: string, node: string, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, uid: `uid-${name}` },
  spec: { serviceAccountName: sa, nodeName: node },
  status: { phase },
});

const pods = (...all: KubeObject[]): PodLookup => ({
  get: (name, ns) => all.find((p) => p.metadata.name === name && p.metadata.namespace === ns),
  list: (pred) => all.filter(pred),
});

const cluster = pods(
  pod('istio-system', 'ztunnel-a', 'ztunnel', 'node-a'),
  pod('shop', 'cart-1', 'cart', 'node-a'),
  pod('shop', 'pay-1', 'pay', 'node-b'),
  pod('shop', 'old-1', 'old', 'node-a', 'Failed'),
);
const ztunnel = {
  namespace: 'istio-system',
  serviceAccount: 'ztunnel',
  pod: { name: 'ztunnel-a', uid: 'uid-ztunnel-a' },
};

describe('authorizeOnNode', () => {
  test('a ztunnel gets an identity of a pod on its node', () => {
    expect(() => authorizeOnNode(ztunnel, { namespace: 'shop', serviceAccount: 'cart' }, cluster)).not.toThrow();
  });

  test('not one of a pod on another node, nor of a failed pod', () => {
    expect(() => authorizeOnNode(ztunnel, { namespace: 'shop', serviceAccount: 'pay' }, cluster)).toThrow(
      'no pod of shop/pay runs on node node-a',
    );
    expect(() => authorizeOnNode(ztunnel, { namespace: 'shop', serviceAccount: 'old' }, cluster)).toThrow(/shop\/old/);
  });

  test('a token not bound to a pod, or to a pod replaced since, is refused with what to do', () => {
    const { pod: _bound, ...unbound } = ztunnel;
    expect(() => authorizeOnNode(unbound, { namespace: 'shop', serviceAccount: 'cart' }, cluster)).toThrow(
      /not bound to a pod; node agents must use their pod's projected token/,
    );
    const replaced = { ...ztunnel, pod: { name: 'ztunnel-a', uid: 'uid-earlier' } };
    expect(() => authorizeOnNode(replaced, { namespace: 'shop', serviceAccount: 'cart' }, cluster)).toThrow(
      /was replaced \(uid differs\); retry/,
    );
    const gone = { ...ztunnel, pod: { name: 'ztunnel-gone', uid: 'x' } };
    expect(() => authorizeOnNode(gone, { namespace: 'shop', serviceAccount: 'cart' }, cluster)).toThrow(/not found/);
  });

  test("a pod running as another service account than the token's is refused", () => {
    const other = { ...ztunnel, serviceAccount: 'impostor' };
    expect(() => authorizeOnNode(other, { namespace: 'shop', serviceAccount: 'cart' }, cluster)).toThrow(
      /runs as ztunnel, not impostor/,
    );
  });
});
