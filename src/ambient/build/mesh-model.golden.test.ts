// Golden files for the model build from API objects: testdata/<case>.in.yaml lists cluster objects (Namespaces,
// Gateways, Services, EndpointSlices, pods, WorkloadEntries, ServiceEntries, AuthorizationPolicies); testdata/
// <case>.out.yaml holds what of them the model cannot use, the WDS Address resources ztunnel gets, each Service's
// endpoints as a waypoint sees them (the HBONE flag), and what each waypoint serves. UPDATE_GOLDEN=1 rewrites the
// outputs; review the diff.
import { expect, test } from '@jest/globals';
import { z } from 'zod';
import { ApiObject, describeGolden, expectRoundTrip, goldenCases } from '../../testing/golden.ts';
import { meshObjectsOf, testModelSettings } from '../../testing/mesh-input.ts';
import { serviceEntryProblems } from '../serviceentry/problems.ts';
import { buildMeshModel } from './mesh-model.ts';
import { typeUrls } from '../../xds/proto/protos.ts';
import { addressResources } from '../../xds/wds/addresses.ts';

const testdata = new URL('./testdata/', import.meta.url);

const Case = z.strictObject({
  description: z.string(),
  network: z.string().default(''),
  objects: z.array(ApiObject),
});

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => compare(a, b));

const cases = goldenCases(testdata, (raw) => Case.parse(raw)).map(({ name, input }) => {
  const { model, problems } = buildMeshModel(meshObjectsOf(input.objects), testModelSettings(input.network));
  const endpoints = Object.fromEntries(
    model.services.map((s) => [`${s.namespace}/${s.hostname}`, s.endpoints] as const).sort(([a], [b]) => compare(a, b)),
  );
  const waypoints = model.waypoints.map((w) => ({
    waypoint: `${w.namespace}/${w.name}`,
    services: w.services,
    workloads: w.workloads,
  }));
  const documents = [
    { description: input.description, problems },
    ...byName(addressResources(model)).map(([n, resource]) => ({ type: 'Address', name: n, resource })),
    { endpoints },
    { waypoints },
  ];
  const objects = meshObjectsOf(input.objects);
  const debugProblems = serviceEntryProblems(objects.services, objects.serviceEntries, 'cluster.local');
  return { name, documents, problems, debugProblems, addresses: addressResources(model) };
});

describeGolden('the model built from testdata/<case>.in.yaml matches testdata/<case>.out.yaml', testdata, cases);

test('every Address resource encodes with the proto and decodes back to the same content', () => {
  for (const { name, addresses } of cases)
    for (const [n, resource] of addresses) expectRoundTrip({ name, n }, typeUrls.address, resource);
});

test('/debug/ambient finds the same ServiceEntry problems as the model build', () => {
  for (const { name, problems, debugProblems } of cases)
    expect({ name, problems: debugProblems }).toEqual({ name, problems });
});
