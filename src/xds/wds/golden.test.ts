// Golden files for the WDS generators: testdata/<case>.in.yaml holds a MeshModel (the model's schema fills the
// defaults) and testdata/<case>.out.yaml the resources generated from it, one document per resource sorted by type
// and name, then the policy changes ztunnel's L4 view forces, if any. UPDATE_GOLDEN=1 rewrites the outputs; review
// the diff.
import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { MeshModel } from '../model/model.ts';
import { typeUrls } from '../proto/protos.ts';
import { describeGolden, expectRoundTrip, goldenCases } from '../../testing/golden.ts';
import { addressResources } from './addresses.ts';
import { authorizationChanges, authorizationResources, describeChange } from './authorizations.ts';

const testdata = new URL('./testdata/', import.meta.url);

/** A golden case: what it shows, and the model. */
const MeshCase = z.strictObject({ description: z.string(), model: MeshModel });

const byName = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const cases = goldenCases(testdata, (raw) => MeshCase.parse(raw)).map(({ name, input: { model } }) => {
  const resources = [
    ...byName(addressResources(model)).map(([n, resource]) => ({ type: 'Address', name: n, resource })),
    ...byName(authorizationResources(model)).map(([n, resource]) => ({ type: 'Authorization', name: n, resource })),
  ];
  const changes = authorizationChanges(model).map((c) => ({ ...c, message: describeChange(c) }));
  const documents = [...resources, ...(changes.length > 0 ? [{ authorizationChanges: changes }] : [])];
  return { name, model, resources, documents };
});

const typeUrl = { Address: typeUrls.address, Authorization: typeUrls.authorization } as const;

describe('the WDS cases', () => {
  test('include these', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(['dual-stack', 'plain-namespace', 'policies', 'service-waypoint', 'workload-waypoint']),
    );
  });
});

describeGolden('WDS resources are testdata/<case>.out.yaml', testdata, cases);

describe('every generated resource', () => {
  const all = cases.flatMap(({ name, resources }) => resources.map((r) => ({ case: name, ...r })));

  test('encodes with the proto and decodes back to the same content', () => {
    for (const { case: c, type, name, resource } of all)
      expectRoundTrip({ c, name }, type === 'Address' ? typeUrl.Address : typeUrl.Authorization, resource);
  });

  test('is named as istiod names it', () => {
    for (const { type, name, resource } of all) {
      const r = resource as { workload?: { uid: string }; service?: { namespace: string; hostname: string } };
      const a = resource as { namespace: string; name: string };
      const expected =
        type === 'Authorization'
          ? `${a.namespace}/${a.name}`
          : (r.workload?.uid ?? `${r.service?.namespace ?? ''}/${r.service?.hostname ?? ''}`);
      expect(name).toBe(expected);
    }
  });

  test('covers every workload and Service, and only the policies without targetRefs', () => {
    for (const { model, resources } of cases) {
      const names = new Set(resources.map((r) => r.name));
      for (const w of model.workloads) expect(names).toContain(w.uid);
      for (const s of model.services) expect(names).toContain(`${s.namespace}/${s.hostname}`);
      const policies = resources.filter((r) => r.type === 'Authorization').map((r) => r.name);
      const targeted = model.authorizationPolicies.filter((p) => p.targetRefs.length > 0);
      for (const p of targeted) expect(policies).not.toContain(`${p.namespace}/${p.name}`);
    }
  });

  test('lists only policies that exist', () => {
    for (const { resources } of cases) {
      const policies = new Set(resources.filter((r) => r.type === 'Authorization').map((r) => r.name));
      for (const { resource } of resources) {
        const listed = (resource as { workload?: { authorizationPolicies?: string[] } }).workload
          ?.authorizationPolicies;
        for (const p of listed ?? []) expect(policies).toContain(p);
      }
    }
  });
});
