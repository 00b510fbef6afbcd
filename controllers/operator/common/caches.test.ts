// Every kind the renderers emit (in their golden outputs) has an API resource, and is one the operator caches on the
// platforms where it is rendered — else its apply throws, or it is applied on every reconcile and never pruned.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { resourceOf } from '../../../src/kube/resources.ts';
import { ownedResourcesFor } from './caches.ts';

const testdata = new URL('../../../src/render/testdata/', import.meta.url);
const rendered = readdirSync(testdata)
  .filter((f) => f.endsWith('.out.yaml'))
  .flatMap((f) => loadAll(readFileSync(new URL(f, testdata), 'utf8')))
  .filter((o): o is KubeObject => typeof o === 'object' && o !== null && 'kind' in o);

describe('owned kinds', () => {
  test('every rendered kind has an API resource and an owned cache on OpenShift', () => {
    const cached = new Set(ownedResourcesFor('openshift').map((r) => r.kind));
    const kinds = [...new Set(rendered.map((o) => o.kind))].sort();
    expect(kinds.length).toBeGreaterThan(5);
    for (const o of rendered) expect(() => resourceOf(o)).not.toThrow();
    expect(kinds.filter((k) => !cached.has(k))).toEqual([]);
  });

  test('the Multus NetworkAttachmentDefinition is cached only on OpenShift, where its CRD exists', () => {
    expect(ownedResourcesFor('openshift').map((r) => r.kind)).toContain('NetworkAttachmentDefinition');
    expect(ownedResourcesFor('kubernetes').map((r) => r.kind)).not.toContain('NetworkAttachmentDefinition');
  });
});
