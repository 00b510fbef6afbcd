// Golden files for the translators: testdata/<case>.in.yaml holds a list of cluster objects (Services, Namespaces,
// Gateways, GatewayClasses, ReferenceGrants, ServiceEntries, HTTPRoutes, VirtualServices, AuthorizationPolicies);
// testdata/<case>.out.yaml the route tables, the HTTPRoute statuses, the policies with their problems, and the policy
// statuses computed from them. UPDATE_GOLDEN=1 rewrites the outputs; review the diff before committing it.
import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { isValidReason } from '../../kube/conditions.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { ApiObject, describeGolden, goldenCases, sharedObjects } from '../../testing/golden.ts';
import { authorizationPolicies, policyStatus } from './authorization.ts';
import { clusterIndex } from './cluster-index.ts';
import { jsonCopy } from './json-copy.ts';
import { isCatchAll } from './precedence.ts';
import { httpRouteStatus } from './route-status.ts';
import { routeTables } from './routes.ts';

const testdata = new URL('./testdata/', import.meta.url);

const Case = z.strictObject({
  description: z.string(),
  clusterDomain: z.string().default('cluster.local'),
  rootNamespace: z.string().default('istio-system'),
  objects: z.array(ApiObject),
});
type Case = z.infer<typeof Case>;

const ofKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

function translate(c: Case): Record<string, unknown> {
  const objects = c.objects as KubeObject[];
  const facts = {
    services: ofKind(objects, 'Service'),
    namespaces: ofKind(objects, 'Namespace'),
    gateways: ofKind(objects, 'Gateway'),
    gatewayClasses: ofKind(objects, 'GatewayClass'),
    serviceEntries: ofKind(objects, 'ServiceEntry'),
    referenceGrants: ofKind(objects, 'ReferenceGrant'),
    clusterDomain: c.clusterDomain,
  };
  const httpRoutes = ofKind(objects, 'HTTPRoute');
  const virtualServices = ofKind(objects, 'VirtualService');
  const policyObjects = ofKind(objects, 'AuthorizationPolicy');
  const index = clusterIndex(facts);
  const out: Record<string, unknown> = {};
  if (httpRoutes.length + virtualServices.length > 0)
    out['routeTables'] = routeTables({ ...facts, httpRoutes, virtualServices });
  if (httpRoutes.length > 0)
    out['httpRouteStatus'] = httpRoutes.map((r) => ({
      route: `${r.metadata.namespace ?? ''}/${r.metadata.name}`,
      ...httpRouteStatus(r, index),
    }));
  if (policyObjects.length > 0) {
    const { policies, problems } = authorizationPolicies(policyObjects);
    out['authorizationPolicies'] = policies;
    out['problems'] = problems;
    out['policyStatus'] = policyObjects.map((p) => ({
      policy: `${p.metadata.namespace ?? ''}/${p.metadata.name}`,
      ...policyStatus(p, { index, rootNamespace: c.rootNamespace }),
    }));
  }
  return out;
}

const cases = goldenCases(testdata, (raw) => Case.parse(raw)).map(({ name, input }) => {
  const before = jsonCopy(input);
  const output = translate(input);
  return { name, before, after: input, output, documents: [output] };
});

describeGolden('translations match testdata/<case>.out.yaml', testdata, cases);

describe('every translation', () => {
  test('leaves its input unchanged', () => {
    for (const { name, before, after } of cases) expect({ name, after }).toEqual({ name, after: before });
  });

  test('gives the same output when run again', () => {
    for (const { name, after, output } of cases) expect({ name, output: translate(after) }).toEqual({ name, output });
  });

  test('is plain JSON: no undefined fields', () => {
    for (const { output } of cases) expect(JSON.parse(JSON.stringify(output))).toStrictEqual(output);
  });

  test('shares no object with another or with the input (callers may change either later)', () => {
    for (const { name, after, output } of cases) {
      const shared = sharedObjects([
        [after, 'input'],
        [output, 'output'],
      ]);
      expect({ name, shared }).toEqual({ name, shared: [] });
    }
  });

  test('ends every route table at its first catch-all rule', () => {
    for (const { name, output } of cases) {
      const tables = (output['routeTables'] ?? []) as { host: string; rules: Parameters<typeof isCatchAll>[0][] }[];
      for (const t of tables) {
        const first = t.rules.findIndex(isCatchAll);
        expect({ name, host: t.host, first }).toEqual({
          name,
          host: t.host,
          first: first === -1 ? -1 : t.rules.length - 1,
        });
      }
    }
  });

  test('writes only reasons the API server accepts', () => {
    for (const { name, output } of cases) {
      const reasons = JSON.stringify(output).match(/"reason":"[^"]*"/g) ?? [];
      const bad = reasons.map((r) => r.slice('"reason":"'.length, -1)).filter((r) => !isValidReason(r));
      expect({ name, bad }).toEqual({ name, bad: [] });
    }
  });
});
