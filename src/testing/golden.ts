// Golden-file support for table tests, the way Envoy Gateway tests its translator: every testdata/<case>.in.yaml
// is a case; its result is compared with testdata/<case>.out.yaml; UPDATE_GOLDEN=1 rewrites the outputs (review the
// diff before committing it). Also the checks the xDS suites share: the comparison tests, and the proto round trip.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { dump, load } from 'js-yaml';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { decodeResource, encodeResource } from '../xds/proto/protos.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';

/** An API object in a case's input: kind, version and name required, the rest as written. */
export const ApiObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string() }),
});

/** The cases under `testdata`, in name order, each input parsed by `parse`. */
export function goldenCases<T>(testdata: URL, parse: (raw: unknown) => T): { name: string; input: T }[] {
  return readdirSync(testdata)
    .filter((f) => f.endsWith('.in.yaml'))
    .sort()
    .map((f) => ({
      name: f.slice(0, -'.in.yaml'.length),
      input: parse(load(readFileSync(new URL(f, testdata), 'utf8'))),
    }));
}

/**
 * The YAML documents as the repository formats them (so `prettier --check` agrees with the golden files) and the
 * golden file's current text, after rewriting it under UPDATE_GOLDEN=1.
 */
export async function golden(
  testdata: URL,
  name: string,
  documents: unknown[],
): Promise<{ expected: string; actual: string }> {
  const file = new URL(`${name}.out.yaml`, testdata);
  const text = documents.map((o) => dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
  const actual = await format(text, { ...(await resolveConfig(file)), parser: 'yaml' });
  if (update) writeFileSync(file, actual);
  return { expected: existsSync(file) ? readFileSync(file, 'utf8') : '<no golden file>', actual };
}

/**
 * A golden suite's comparison: a test that there are cases, and one per case that its documents are the golden file.
 * On a failure: check the change is intended, then run with UPDATE_GOLDEN=1 and commit testdata/.
 */
export function describeGolden(title: string, testdata: URL, cases: { name: string; documents: unknown[] }[]): void {
  describe(title, () => {
    test('there are cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    test.each(cases)('$name', async ({ name, documents }) => {
      const { expected, actual } = await golden(testdata, name, documents);
      expect(actual).toBe(expected);
    });
  });
}

/** That a generated resource encodes with its type's proto and decodes back to the same content (`label`: which). */
export function expectRoundTrip(label: unknown, typeUrl: string, resource: object): void {
  const back = decodeResource(typeUrl, encodeResource(typeUrl, resource));
  expect({ label, resource: back }).toEqual({ label, resource });
}

/**
 * The paths at which an object is reached a second time, walking the roots in order (`[value, path]`): empty when
 * nothing a generator returned shares an object with another part of it or with its input.
 */
export function sharedObjects(roots: [unknown, string][]): string[] {
  const seen = new Set<object>();
  const shared: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    if (seen.has(value)) shared.push(path);
    seen.add(value);
    for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  for (const [value, path] of roots) walk(value, path);
  return shared;
}
