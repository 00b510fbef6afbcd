import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { load } from 'js-yaml';
import { renderCrd } from '../crd/definition.ts';
import type { JSONSchemaProps } from '../crd/structural.ts';
import { sailCrds } from '../sailoperator/index.ts';
import { allCrds, renderCrdFiles } from './crd-files.ts';

const files = renderCrdFiles();
const crdsDir = new URL('../../../crds/', import.meta.url);

/** Structural-schema rules the API server enforces, as a list of violations with their paths. */
function structuralViolations(s: JSONSchemaProps, path: string): string[] {
  const out: string[] = [];
  const free = s['x-kubernetes-preserve-unknown-fields'] === true || s['x-kubernetes-int-or-string'] === true;
  if (!s.type && !free) out.push(`${path}: no type`);
  if (s.properties && s.additionalProperties) out.push(`${path}: properties beside additionalProperties`);
  for (const key of ['$ref', '$schema', 'definitions', 'patternProperties', 'uniqueItems', 'allOf', 'not']) {
    if (key in s) out.push(`${path}: ${key} is not allowed`);
  }
  // oneOf may only carry value validations: here, which fields are present.
  const presenceOnly = (o: JSONSchemaProps) =>
    Object.keys(o).every((k) => k === 'required') ||
    (Object.keys(o).join() === 'not' && o.not?.anyOf?.every(presenceOnly) === true);
  if (s.oneOf && !s.oneOf.every(presenceOnly)) out.push(`${path}: oneOf with more than field presence`);
  if (s.anyOf && !s['x-kubernetes-int-or-string']) out.push(`${path}: anyOf outside int-or-string`);
  if (s['x-kubernetes-list-type'] === 'map') {
    for (const key of s['x-kubernetes-list-map-keys'] ?? []) {
      if (!s.items?.required?.includes(key)) out.push(`${path}: list-map key ${key} is not required`);
    }
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...structuralViolations(v, `${path}.${k}`));
  if (s.additionalProperties) out.push(...structuralViolations(s.additionalProperties, `${path}.*`));
  if (s.items) out.push(...structuralViolations(s.items, `${path}[]`));
  return out;
}

type RenderedVersion = { name: string; schema: { openAPIV3Schema: JSONSchemaProps } };
const versionsOf = (crd: Record<string, unknown>) => (crd['spec'] as { versions: RenderedVersion[] }).versions;

describe('crds/', () => {
  test('the committed CRDs are what `make generate` renders from src/api', () => {
    const committed = readdirSync(crdsDir).sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, text] of files) {
      // On failure: run `make generate` and commit crds/.
      expect({ name, current: readFileSync(new URL(name, crdsDir), 'utf8') === text }).toEqual({ name, current: true });
    }
  });

  test('every CRD fits client-side kubectl apply (last-applied annotation under 256 KiB)', () => {
    for (const d of allCrds) {
      const annotationBytes = Buffer.byteLength(JSON.stringify(renderCrd(d)));
      expect({ crd: d.plural, fits: annotationBytes < 256 * 1024 }).toEqual({ crd: d.plural, fits: true });
    }
  });

  test('every version schema is structural', () => {
    for (const d of allCrds) {
      for (const v of versionsOf(renderCrd(d))) {
        expect(structuralViolations(v.schema.openAPIV3Schema, `${d.kind}.${v.name}`)).toEqual([]);
      }
    }
  });

  test('CEL rules sit where Sail has them', () => {
    const schema = (plural: string, version = 'v1') => {
      const text = files.get(`sailoperator.io_${plural}.yaml`)!;
      return versionsOf(load(text) as Record<string, unknown>).find((v) => v.name === version)!.schema.openAPIV3Schema;
    };
    const rules = (s: JSONSchemaProps | undefined) => (s?.['x-kubernetes-validations'] ?? []).map((r) => r.message);
    for (const [plural, version] of [
      ['istiocnis', 'v1'],
      ['ztunnels', 'v1'],
      ['ztunnels', 'v1alpha1'],
    ] as const) {
      expect(rules(schema(plural, version))).toEqual(["metadata.name must be 'default'"]);
    }
    expect(rules(schema('istios').properties?.['spec']?.properties?.['namespace'])).toEqual(['Value is immutable']);
    expect(rules(schema('istiocnis').properties?.['spec']?.properties?.['namespace'])).toEqual(['Value is immutable']);
    expect(rules(schema('ztunnels').properties?.['spec']?.properties?.['namespace'])).toEqual([]);
    expect(rules(schema('istios').properties?.['spec'])).toEqual([
      'spec.values.global.istioNamespace must match spec.namespace',
    ]);
    expect(rules(schema('istiorevisions'))).toEqual([
      "spec.values.revision must match metadata.name or be empty when the name is 'default'",
    ]);
  });

  test('sailoperator.io conditions are a list-map keyed by type with observedGeneration per condition', () => {
    for (const d of sailCrds) {
      for (const v of versionsOf(renderCrd(d))) {
        const conditions = v.schema.openAPIV3Schema.properties?.['status']?.properties?.['conditions'];
        expect(conditions?.['x-kubernetes-list-type']).toBe('map');
        expect(conditions?.['x-kubernetes-list-map-keys']).toEqual(['type']);
        expect(conditions?.items?.properties?.['observedGeneration']?.type).toBe('integer');
      }
    }
  });
});
