// Golden files for the waypoint renderer: testdata/<case>.in.yaml holds a WaypointInput (with defaults for the
// fields most cases share) and testdata/<case>.out.yaml the objects rendered from it, or the error when rendering
// fails. UPDATE_GOLDEN=1 rewrites the outputs; review the diff before committing it.
import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { Values } from '../../api/values.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { WaypointRenderError } from './errors.ts';
import type { WaypointInput } from './input.ts';
import { renderWaypoint } from './render.ts';
import { ApiObject, golden, goldenCases, sharedObjects } from '../../testing/golden.ts';

const testdata = new URL('./testdata/', import.meta.url);

const StringMap = z.record(z.string(), z.string());
const Case = z.strictObject({
  description: z.string(),
  gateway: ApiObject,
  controllerLabel: z.string().default('istio.io-mesh-controller'),
  revision: z.string().default('default'),
  istioNamespace: z.string().default('istio-system'),
  values: Values.prefault({}),
  trustDomain: z.string().default('cluster.local'),
  clusterDomain: z.string().default('cluster.local'),
  proxyImage: z.string().default('docker.io/istio/proxyv2:1.28.0'),
  proxyConfig: z.record(z.string(), z.unknown()).optional(),
  existingDeployment: ApiObject.optional(),
  classDefaults: StringMap.optional(),
  parameters: StringMap.optional(),
});

type Outcome = { objects: KubeObject[] } | { error: WaypointRenderError };

function render(input: WaypointInput): Outcome {
  try {
    return { objects: renderWaypoint(input) };
  } catch (error) {
    if (error instanceof WaypointRenderError) return { error };
    throw error;
  }
}

const documents = (outcome: Outcome) =>
  'objects' in outcome ? outcome.objects : [{ error: outcome.error.message, reason: outcome.error.reason }];

const cases = goldenCases(testdata, (raw) => Case.parse(raw)).map(({ name, input: { description, ...input } }) => ({
  name,
  description,
  input,
  outcome: render(input),
}));

describe('rendered waypoints match testdata/<case>.out.yaml', () => {
  test('there are cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('$name', async ({ name, outcome }) => {
    const { expected, actual } = await golden(testdata, name, documents(outcome));
    // On failure: check the change is intended, then run with UPDATE_GOLDEN=1 and commit testdata/.
    expect(expected).toBe(actual);
  });
});

describe('every rendered waypoint object', () => {
  const rendered = cases.flatMap(({ name, input, outcome }) =>
    'objects' in outcome ? [{ name, input, ...outcome }] : [],
  );
  const all = rendered.flatMap(({ name, input, objects }) => objects.map((object) => ({ name, input, object })));

  test('is owned by its Gateway and labelled with it, its class and its manager', () => {
    for (const { name, input, object } of all) {
      const gateway = input.gateway.metadata;
      expect({ name, object: object.kind, metadata: object.metadata }).toMatchObject({
        metadata: {
          namespace: gateway.namespace,
          labels: {
            'gateway.istio.io/managed': input.controllerLabel,
            'gateway.networking.k8s.io/gateway-name': gateway.name,
          },
          ownerReferences: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', uid: gateway.uid }],
        },
      });
    }
  });

  test('is plain JSON: no undefined fields', () => {
    for (const { object } of all) expect(JSON.parse(JSON.stringify(object))).toStrictEqual(object);
  });

  test('shares no object with another or with the input (callers may change either later)', () => {
    for (const { name, input, objects } of rendered) {
      const shared = sharedObjects([
        [input, 'input'],
        ...objects.map((o): [unknown, string] => [o, `${o.kind}/${o.metadata.name}`]),
      ]);
      expect({ name, shared }).toEqual({ name, shared: [] });
    }
  });

  test('starts with the ServiceAccount, Deployment and Service, in that order', () => {
    for (const { name, objects } of rendered) {
      expect({ name, kinds: objects.slice(0, 3).map((o) => o.kind) }).toEqual({
        name,
        kinds: ['ServiceAccount', 'Deployment', 'Service'],
      });
    }
  });
});
