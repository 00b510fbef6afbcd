// Golden files for the waypoint renderer: testdata/<case>.in.yaml holds a WaypointInput (with defaults for the
// fields most cases share) and testdata/<case>.out.yaml the objects rendered from it, or the error when rendering
// fails. UPDATE_GOLDEN=1 rewrites the outputs; review the diff before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { dump, load } from 'js-yaml';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { Values } from '../../api/values.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { WaypointRenderError } from './errors.ts';
import type { WaypointInput } from './input.ts';
import { renderWaypoint } from './render.ts';

const testdata = new URL('./testdata/', import.meta.url);
const update = process.env['UPDATE_GOLDEN'] === '1';

const StringMap = z.record(z.string(), z.string());
const Object_ = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string() }),
});

const Case = z.strictObject({
  description: z.string(),
  gateway: Object_,
  controllerLabel: z.string().default('istio.io-mesh-controller'),
  revision: z.string().default('default'),
  istioNamespace: z.string().default('istio-system'),
  values: Values.prefault({}),
  trustDomain: z.string().default('cluster.local'),
  clusterDomain: z.string().default('cluster.local'),
  proxyImage: z.string().default('docker.io/istio/proxyv2:1.28.0'),
  proxyConfig: z.record(z.string(), z.unknown()).optional(),
  existingDeployment: Object_.optional(),
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

async function asYaml(outcome: Outcome, file: URL): Promise<string> {
  const documents =
    'objects' in outcome ? outcome.objects : [{ error: outcome.error.message, reason: outcome.error.reason }];
  const text = documents.map((o) => dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
  // Formatted as the repository formats YAML, so `prettier --check` agrees with the golden files.
  const options = await resolveConfig(file);
  return format(text, { ...options, parser: 'yaml' });
}

const cases = readdirSync(testdata)
  .filter((f) => f.endsWith('.in.yaml'))
  .sort()
  .map((f) => {
    const name = f.slice(0, -'.in.yaml'.length);
    const { description, ...input } = Case.parse(load(readFileSync(new URL(f, testdata), 'utf8')));
    return { name, description, input, outcome: render(input) };
  });

describe('rendered waypoints match testdata/<case>.out.yaml', () => {
  test('there are cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('$name', async ({ name, outcome }) => {
    const file = new URL(`${name}.out.yaml`, testdata);
    const rendered = await asYaml(outcome, file);
    if (update) writeFileSync(file, rendered);
    // On failure: check the change is intended, then run with UPDATE_GOLDEN=1 and commit testdata/.
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '<no golden file>').toBe(rendered);
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
      const seen = new Set<object>();
      const shared: string[] = [];
      const walk = (value: unknown, path: string) => {
        if (typeof value !== 'object' || value === null) return;
        if (seen.has(value)) shared.push(path);
        seen.add(value);
        for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
      };
      walk(input, 'input');
      objects.forEach((o) => walk(o, `${o.kind}/${o.metadata.name}`));
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
