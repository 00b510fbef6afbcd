import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { StructuralSchemaError, toStructural } from './structural.ts';

describe('zod → structural schema', () => {
  test('a closed object has properties and required keys, never additionalProperties beside them', () => {
    const s = toStructural(z.object({ a: z.string(), b: z.int().optional(), c: z.boolean().default(true) }));
    expect(s).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'boolean', default: true } },
      required: ['a'],
    });
  });

  test('a loose object keeps unknown fields; z.unknown() is a free-form object', () => {
    expect(toStructural(z.looseObject({ a: z.string().optional() }))).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(toStructural(z.unknown())).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  test('records become additionalProperties, arrays carry items and bounds', () => {
    expect(toStructural(z.record(z.string(), z.string()))).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(toStructural(z.array(z.string().min(1).max(5)).max(3))).toEqual({
      type: 'array',
      maxItems: 3,
      items: { type: 'string', minLength: 1, maxLength: 5 },
    });
  });

  test('string patterns, formats and number bounds', () => {
    expect(toStructural(z.string().regex(/^[a-z]+$/))).toEqual({ type: 'string', pattern: '^[a-z]+$' });
    expect(toStructural(z.string().meta({ format: 'date-time' }))).toEqual({ type: 'string', format: 'date-time' });
    expect(toStructural(z.int().min(0).max(10))).toEqual({ type: 'integer', minimum: 0, maximum: 10 });
    expect(toStructural(z.number().gt(0))).toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true });
    expect(toStructural(z.int32())).toEqual({ type: 'integer', format: 'int32' });
  });

  test('enums, literals and unions of string enums', () => {
    expect(toStructural(z.enum(['a', 'b']))).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(toStructural(z.literal('x'))).toEqual({ type: 'string', enum: ['x'] });
    expect(toStructural(z.union([z.enum(['a']), z.literal('b')]))).toEqual({ type: 'string', enum: ['a', 'b'] });
  });

  test('a union of number and string is int-or-string', () => {
    expect(toStructural(z.union([z.int(), z.string()]))).toEqual({
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
  });

  test('a prefault becomes the complete default value, with nested defaults filled in', () => {
    const s = toStructural(
      z.object({ a: z.string().default('x'), b: z.object({ c: z.int().default(1) }).prefault({}) }).prefault({}),
    );
    expect(s.default).toEqual({ a: 'x', b: { c: 1 } });
    expect(s.properties?.['b']?.default).toEqual({ c: 1 });
  });

  test('CEL rules, list-map keys and descriptions from .meta() land on their node', () => {
    const item = z.object({ type: z.string(), status: z.string() });
    const s = toStructural(
      z
        .object({
          namespace: z.string().meta({
            description: 'd',
            'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
          }),
          conditions: z
            .array(item)
            .optional()
            .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
        })
        .meta({ 'x-kubernetes-validations': [{ rule: 'has(self.namespace)', message: 'm' }] }),
    );
    expect(s['x-kubernetes-validations']).toEqual([{ rule: 'has(self.namespace)', message: 'm' }]);
    expect(s.properties?.['namespace']).toEqual({
      type: 'string',
      description: 'd',
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
    });
    expect(s.properties?.['conditions']).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    });
  });

  test('atMostOneOf becomes a oneOf over field presence: none, or exactly one', () => {
    const s = toStructural(
      z.object({ a: z.string().optional(), b: z.string().optional() }).meta({ atMostOneOf: ['a', 'b'] }),
    );
    expect(s.oneOf).toEqual([
      { not: { anyOf: [{ required: ['a'] }, { required: ['b'] }] } },
      { required: ['a'] },
      { required: ['b'] },
    ]);
  });

  test('shapes a structural schema cannot express are refused with the path', () => {
    expect(() => toStructural(z.object({ a: z.union([z.string(), z.object({})]) }))).toThrow(StructuralSchemaError);
    expect(() => toStructural(z.object({ a: z.union([z.string(), z.object({})]) }))).toThrow(
      '<root>.a: unions other than',
    );
    expect(() => toStructural(z.object({ d: z.date() }))).toThrow('<root>.d: zod type "date"');
    expect(() => toStructural(z.string().meta({ title: 'x', minimumx: 1 } as never))).toThrow('.meta() key "minimumx"');
    expect(() => toStructural(z.record(z.enum(['a']), z.string()))).toThrow('record keys must be strings');
  });
});
