import { describe, expect, test } from '@jest/globals';
import { appliedHashAnnotation, intentHash, isSubset, liveKey, planApply, withIntentHash } from './apply-plan.ts';
import type { KubeObject } from './objects.ts';

const cm = (name: string, data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', labels: { 'managed-by': 'ambit-operator' }, ...extra },
  data,
});

/** What the API server would return after our apply: our fields plus its own. */
const asLive = (o: KubeObject): KubeObject => ({
  ...withIntentHash(o),
  metadata: {
    ...withIntentHash(o).metadata,
    uid: 'u',
    resourceVersion: '7',
    creationTimestamp: '2026-12-01T00:00:00Z',
  },
});

describe('planApply', () => {
  test('steady state: what the caches show equals the intent, so nothing is written', () => {
    const rendered = [cm('a', { x: '1' }), cm('b', { y: '2' })];
    const live = new Map(rendered.map((o) => [liveKey(o), asLive(o)]));
    expect(planApply(rendered, live, [...live.values()])).toEqual({ apply: [], prune: [] });
  });

  test('a missing object, a changed intent and a drifted field are applied; the rest is not', () => {
    const a = cm('a', { x: '1' });
    const b = cm('b', { y: '2' });
    const c = cm('c', { z: '3' });
    const drifted = { ...asLive(c), data: { z: 'edited' } };
    const live = new Map([
      [liveKey(b), asLive(cm('b', { y: 'old' }))],
      [liveKey(c), drifted],
    ]);
    const plan = planApply([a, b, c], live, [...live.values()]);
    expect(plan.apply.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(plan.apply[0]?.metadata.annotations?.[appliedHashAnnotation]).toBe(intentHash(a));
  });

  test('fields the API server added do not count as drift; a removed label does', () => {
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns', labels: { app: 'x' } },
      spec: { replicas: 1 },
    };
    const defaulted = { ...asLive(d), spec: { replicas: 1, revisionHistoryLimit: 10 }, status: { readyReplicas: 1 } };
    expect(planApply([d], new Map([[liveKey(d), defaulted]]), []).apply).toEqual([]);
    const unlabelled = { ...defaulted, metadata: { ...defaulted.metadata, labels: {} } };
    expect(planApply([d], new Map([[liveKey(d), unlabelled]]), []).apply).toHaveLength(1);
  });

  test('owned objects the intent no longer has are pruned, unless already being deleted', () => {
    const keep = cm('keep', {});
    const old = asLive(cm('old', {}));
    const going = {
      ...asLive(cm('going', {})),
      metadata: { ...asLive(cm('going', {})).metadata, deletionTimestamp: '2026-12-01T00:00:00Z' },
    };
    const live = new Map([[liveKey(keep), asLive(keep)]]);
    expect(planApply([keep], live, [asLive(keep), old, going]).prune.map((o) => o.metadata.name)).toEqual(['old']);
  });
});

describe('isSubset and intentHash', () => {
  test('lists compare element by element, objects by the wanted keys', () => {
    expect(isSubset({ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: 3 }], d: 4 })).toBe(true);
    expect(isSubset({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(isSubset({ a: '1' }, { a: 1 })).toBe(false);
    // The API server omits zero values of optional fields (e.g. a probe's initialDelaySeconds: 0).
    expect(isSubset({ a: 0, b: false, c: '' }, {})).toBe(true);
    expect(isSubset({ a: 0 }, { a: 1 })).toBe(false);
  });

  test('the hash ignores key order and undefined fields', () => {
    expect(intentHash({ apiVersion: 'v1', kind: 'K', metadata: { name: 'n', labels: { a: '1', b: '2' } } })).toBe(
      intentHash({
        kind: 'K',
        metadata: { labels: { b: '2', a: '1' }, name: 'n', namespace: undefined },
        apiVersion: 'v1',
      }),
    );
  });
});
