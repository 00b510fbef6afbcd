// Golden files, the way Envoy Gateway tests its translator: testdata/<case>.in.yaml holds custom resources as users
// write them; the test runs them through the values pipeline and the renderers and compares the objects with
// testdata/<case>.out.yaml. UPDATE_GOLDEN=1 rewrites the outputs; review the diff before committing it.
import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { IstioSpec } from '../api/sailoperator/istio.ts';
import { IstioCNISpec } from '../api/sailoperator/istiocni.ts';
import { ZTunnelSpec, ZTunnelSpecV1alpha1 } from '../api/sailoperator/ztunnel.ts';
import type { Values } from '../api/values.ts';
import { versions } from '../api/versions.ts';
import type { IstioVersion } from '../api/versions.ts';
import type { KubeObject, OwnerReference } from '../kube/objects.ts';
import { renderCni } from './cni.ts';
import { renderControlPlane } from './control-plane.ts';
import { computeCniValues, computeRevisionValues, computeZTunnelValues } from './values/compute.ts';
import { renderZTunnel } from './ztunnel.ts';
import { golden, goldenCases, sharedObjects } from '../testing/golden.ts';

const testdata = new URL('./testdata/', import.meta.url);
const managedBy = 'ambit';

const Case = z.strictObject({
  description: z.string(),
  platform: z.enum(['kubernetes', 'openshift']).default('kubernetes'),
  /** The operator's image, which runs the control plane. */
  image: z.string().default('quay.io/ambit/ambit:0.1.0'),
  istio: z.strictObject({ metadata: z.strictObject({ name: z.string() }), spec: IstioSpec.prefault({}) }).optional(),
  istioCNI: z.strictObject({ spec: IstioCNISpec.prefault({}) }).optional(),
  ztunnel: z
    .strictObject({ apiVersion: z.string().default('sailoperator.io/v1'), spec: z.record(z.string(), z.unknown()) })
    .optional(),
});
type Case = z.infer<typeof Case>;

function resolve(name: string): IstioVersion {
  const version = versions.resolve(name);
  if (!version) throw new Error(`unknown version ${name}`);
  return version;
}

function owner(kind: string, name: string): OwnerReference {
  const uid = `uid-of-${kind.toLowerCase()}-${name}`;
  return { apiVersion: 'sailoperator.io/v1', kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The objects the operator would apply for the case's resources: control plane, CNI, ztunnel. */
function render(c: Case): KubeObject[] {
  const objects: KubeObject[] = [];
  let revision: { name: string; values: Values } | undefined;
  if (c.istio) {
    const { name } = c.istio.metadata;
    const spec = c.istio.spec;
    const revisionName =
      spec.updateStrategy.type === 'RevisionBased' ? `${name}-${spec.version.replaceAll('.', '-')}` : name;
    const values = computeRevisionValues({
      istioName: name,
      revisionName,
      namespace: spec.namespace,
      profile: spec.profile,
      userValues: spec.values,
      platform: c.platform,
    });
    revision = { name, values };
    objects.push(
      ...renderControlPlane({
        owner: owner('IstioRevision', revisionName),
        managedBy,
        version: resolve(spec.version),
        namespace: spec.namespace,
        values,
        image: c.image,
      }),
    );
  }
  if (c.istioCNI) {
    const spec = c.istioCNI.spec;
    const values = computeCniValues({ profile: spec.profile, userValues: spec.values, platform: c.platform });
    objects.push(
      ...renderCni({
        owner: owner('IstioCNI', 'default'),
        managedBy,
        version: resolve(spec.version),
        namespace: spec.namespace,
        values,
      }),
    );
  }
  if (c.ztunnel) {
    // v1alpha1 has a profile and no targetRef; the API server serves both from the same object.
    const spec =
      c.ztunnel.apiVersion === 'sailoperator.io/v1alpha1'
        ? { ...ZTunnelSpecV1alpha1.parse(c.ztunnel.spec), targetRef: undefined }
        : ZTunnelSpec.parse(c.ztunnel.spec);
    if (spec.targetRef && spec.targetRef.name !== revision?.name)
      throw new Error('targetRef names no Istio of the case');
    const values = computeZTunnelValues({
      userValues: spec.values,
      platform: c.platform,
      revisionValues: spec.targetRef ? revision?.values : undefined,
    });
    objects.push(
      ...renderZTunnel({
        owner: owner('ZTunnel', 'default'),
        managedBy,
        version: resolve(spec.version),
        namespace: spec.namespace,
        values,
      }),
    );
  }
  return objects;
}

const cases = goldenCases(testdata, (raw) => Case.parse(raw)).map(({ name, input }) => ({
  name,
  input,
  objects: render(input),
}));

describe('rendered objects match testdata/<case>.out.yaml', () => {
  test('there are cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('$name', async ({ name, objects }) => {
    const { expected, actual } = await golden(testdata, name, objects);
    // On failure: check the change is intended, then run with UPDATE_GOLDEN=1 and commit testdata/.
    expect(expected).toBe(actual);
  });
});

describe('every rendered object', () => {
  const all = cases.flatMap(({ name, objects }) => objects.map((object) => ({ name, object })));

  test('no RBAC rule uses a wildcard', () => {
    const wildcards = all
      .filter(({ object }) => object.kind === 'ClusterRole' || object.kind === 'Role')
      .flatMap(({ name, object }) =>
        (object['rules'] as Record<string, string[] | undefined>[]).flatMap((rule) =>
          Object.values(rule)
            .flat()
            .filter((v) => v?.includes('*'))
            .map((v) => `${name}: ${object.kind}/${object.metadata.name}: ${String(v)}`),
        ),
      );
    expect(wildcards).toEqual([]);
  });

  test('carries managed-by, the Istio labels and its owner', () => {
    for (const { name, object } of all) {
      const { labels, ownerReferences } = object.metadata;
      expect({ name, object: object.metadata.name, labels, owners: ownerReferences?.length }).toMatchObject({
        labels: { 'managed-by': managedBy, 'app.kubernetes.io/part-of': 'istio' },
        owners: 1,
      });
    }
  });

  test('is plain JSON: no undefined fields', () => {
    for (const { object } of all) expect(JSON.parse(JSON.stringify(object))).toStrictEqual(object);
  });

  test('shares no object with another (callers may change what they are given)', () => {
    for (const { name, objects } of cases) {
      const shared = sharedObjects(objects.map((o): [unknown, string] => [o, `${o.kind}/${o.metadata.name}`]));
      expect({ name, shared }).toEqual({ name, shared: [] });
    }
  });

  test('is rendered once per case (kind, namespace and name are unique)', () => {
    for (const { name, objects } of cases) {
      const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect({ name, keys: [...new Set(keys)] }).toEqual({ name, keys });
    }
  });
});
