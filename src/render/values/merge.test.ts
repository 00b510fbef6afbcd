import { describe, expect, test } from '@jest/globals';
import { deepMerge } from './merge.ts';

describe('deepMerge', () => {
  test('maps merge key by key, the later layer winning', () => {
    expect(deepMerge<object>({ a: { b: 1, c: 2 }, d: 'x' }, { a: { c: 3, e: 4 } })).toEqual({
      a: { b: 1, c: 3, e: 4 },
      d: 'x',
    });
  });

  test('lists are replaced, never concatenated or merged by index', () => {
    expect(deepMerge<object>({ l: [1, 2, 3], m: [{ a: 1 }] }, { l: [9], m: [{ b: 2 }] })).toEqual({
      l: [9],
      m: [{ b: 2 }],
    });
  });

  test('scalars and maps replace each other', () => {
    expect(deepMerge<object>({ a: 'scalar', b: { c: 1 } }, { a: { now: 'map' }, b: 'now scalar' })).toEqual({
      a: { now: 'map' },
      b: 'now scalar',
    });
  });

  test('undefined layers and keys are skipped; null deletes the key', () => {
    expect(
      deepMerge<object>({ a: 1, b: 2, c: { d: 3 } }, undefined, { a: undefined, b: null, c: { d: null } }),
    ).toEqual({
      a: 1,
      c: {},
    });
  });

  test('inputs are never changed, and the result shares nothing with them', () => {
    const base = { a: { b: [1, { c: 2 }] }, keep: { x: 1 } };
    const overlay = { a: { d: { e: 3 } } };
    const before = JSON.stringify([base, overlay]);
    const merged = deepMerge<Record<string, Record<string, unknown>>>(base, overlay);
    merged['a']!['b'] = 'changed';
    (merged['keep'] as { x: number }).x = 2;
    (merged['a']!['d'] as { e: number }).e = 4;
    expect(JSON.stringify([base, overlay])).toBe(before);
  });

  test('no layers give an empty map', () => {
    expect(deepMerge()).toEqual({});
  });
});
