// The sailoperator.io CRDs on the real API server: client-side apply, the samples, defaulting, the CEL rules with
// Sail's exact messages, printer columns, and ZTunnel v1 ⇄ v1alpha1.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { dump, loadAll } from 'js-yaml';
import { kubectl, kubectlJson } from './harness/cluster.ts';
import { applyCrds } from './harness/crds.ts';

type Obj = Record<string, unknown> & { spec?: Record<string, unknown> };

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Server-side dry run: the API server validates and defaults, and persists nothing. */
async function dryRun(obj: object): Promise<{ obj?: Obj; error?: string }> {
  const r = await kubectl(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], { input: dump(obj), reject: false });
  return r.exitCode === 0 ? { obj: JSON.parse(String(r.stdout)) as Obj } : { error: String(r.stderr) };
}

const istio = (spec?: object, name = unique('istio')) => ({
  apiVersion: 'sailoperator.io/v1',
  kind: 'Istio',
  metadata: { name },
  ...(spec === undefined ? {} : { spec }),
});

const defaultVersion = 'v1.32.0';

describe('sailoperator.io API', () => {
  const created: string[] = [];
  beforeAll(applyCrds);
  afterAll(async () => {
    // Waited for, so the operator has finished with them before later files measure it.
    if (created.length) await kubectl(['delete', ...created, '--ignore-not-found', '--timeout=60s']);
  });

  test('every sample applies unchanged', async () => {
    for (const file of await readdir('config/samples')) {
      const docs = loadAll(await readFile(`config/samples/${file}`, 'utf8')) as Obj[];
      for (const doc of docs) {
        const r = await dryRun(doc);
        expect({ file, error: r.error }).toEqual({ file, error: undefined });
      }
    }
  });

  test.each([
    ['no spec', undefined],
    ['spec: {}', {}],
    ['spec: {updateStrategy: {}}', { updateStrategy: {} }],
  ])('Istio with %s gets the defaults', async (_, spec) => {
    const { obj } = await dryRun(istio(spec));
    expect(obj?.spec).toEqual({
      version: defaultVersion,
      namespace: 'istio-system',
      updateStrategy: { type: 'InPlace' },
    });
  });

  test('IstioCNI and ZTunnel with no spec get their defaults', async () => {
    const cni = await dryRun({ apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default' } });
    expect(cni.obj?.spec).toEqual({ version: defaultVersion, namespace: 'istio-cni' });
    const zt = await dryRun({ apiVersion: 'sailoperator.io/v1', kind: 'ZTunnel', metadata: { name: 'default' } });
    expect(zt.obj?.spec).toEqual({ version: defaultVersion, namespace: 'ztunnel' });
    // v1alpha1's profile (default ambient) is dropped on the way to storage: v1, the storage version, has no profile.
    const ztAlpha = await dryRun({
      apiVersion: 'sailoperator.io/v1alpha1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
    });
    expect(ztAlpha.obj?.spec).toEqual({ version: defaultVersion, namespace: 'ztunnel' });
  });

  test.each(['IstioCNI', 'ZTunnel'])("%s named foo is refused: metadata.name must be 'default'", async (kind) => {
    const { error } = await dryRun({ apiVersion: 'sailoperator.io/v1', kind, metadata: { name: 'foo' } });
    expect(error).toContain(`The ${kind} "foo" is invalid`);
    expect(error).toContain("metadata.name must be 'default'");
  });

  test('Istio whose values.global.istioNamespace differs from spec.namespace is refused', async () => {
    const { error } = await dryRun(
      istio({ namespace: 'istio-system', values: { global: { istioNamespace: 'other' } } }),
    );
    expect(error).toContain('spec.values.global.istioNamespace must match spec.namespace');
    expect(
      (await dryRun(istio({ namespace: 'mesh', values: { global: { istioNamespace: 'mesh' } } }))).error,
    ).toBeUndefined();
  });

  test('changing spec.namespace of an Istio or the IstioCNI is refused: Value is immutable', async () => {
    const name = unique('immutable');
    await kubectl(['apply', '-f', '-'], { input: dump(istio({ namespace: 'istio-system' }, name)) });
    created.push(`istio/${name}`);
    const r = await kubectl(['apply', '-f', '-'], {
      input: dump(istio({ namespace: 'elsewhere' }, name)),
      reject: false,
    });
    expect(r.stderr).toContain('spec.namespace: Invalid value: "elsewhere": Value is immutable');

    const cni = (namespace: string) => ({
      apiVersion: 'sailoperator.io/v1',
      kind: 'IstioCNI',
      metadata: { name: 'default' },
      spec: { namespace },
    });
    await kubectl(['apply', '-f', '-'], { input: dump(cni('istio-cni')) });
    created.push('istiocni/default');
    const r2 = await kubectl(['apply', '-f', '-'], { input: dump(cni('kube-system')), reject: false });
    expect(r2.stderr).toContain('spec.namespace: Invalid value: "kube-system": Value is immutable');
  });

  test('an unknown profile and an unknown version are refused with the supported values', async () => {
    const profile = await dryRun(istio({ profile: 'bogus' }));
    expect(profile.error).toContain('spec.profile: Unsupported value: "bogus"');
    expect(profile.error).toContain('"openshift-ambient"');
    const version = await dryRun(istio({ version: 'v9.9.9' }));
    expect(version.error).toContain('spec.version: Unsupported value: "v9.9.9"');
    expect(version.error).toContain(`"${defaultVersion}"`);
  });

  test("an IstioRevision's values.revision must match its name, or be empty for 'default'", async () => {
    const rev = (name: string, revision?: string) => ({
      apiVersion: 'sailoperator.io/v1',
      kind: 'IstioRevision',
      metadata: { name },
      spec: {
        version: defaultVersion,
        namespace: 'istio-system',
        values: { global: { istioNamespace: 'istio-system' }, ...(revision === undefined ? {} : { revision }) },
      },
    });
    const message = "spec.values.revision must match metadata.name or be empty when the name is 'default'";
    expect((await dryRun(rev('canary', 'other'))).error).toContain(message);
    expect((await dryRun(rev('default', 'x'))).error).toContain(message);
    expect((await dryRun(rev('canary', 'canary'))).error).toBeUndefined();
    expect((await dryRun(rev('default'))).error).toBeUndefined();
    expect((await dryRun(rev('default', ''))).error).toBeUndefined();
  });

  test('values the API does not type are kept, misspelt spec fields are refused', async () => {
    const kept = await dryRun(
      istio({ values: { pilot: { env: { A: 'b' }, futureKnob: true }, somethingNew: { x: 1 } } }),
    );
    expect(kept.obj?.spec?.['values']).toEqual({
      pilot: { env: { A: 'b' }, futureKnob: true },
      somethingNew: { x: 1 },
    });
    const misspelt = await dryRun(istio({ namepsace: 'istio-system' }));
    expect(misspelt.error).toContain('unknown field "spec.namepsace"');
  });

  test('kubectl get shows the Sail columns for every kind', async () => {
    const header = async (resource: string) => {
      const { stdout } = await kubectl(['get', resource]);
      return (
        String(stdout)
          .split('\n')[0]
          ?.split(/\s{2,}/) ?? []
      );
    };
    const name = unique('columns');
    await kubectl(['apply', '-f', '-'], { input: dump(istio({}, name)) });
    created.push(`istio/${name}`);
    expect(await header('istio')).toEqual([
      'NAME',
      'NAMESPACE',
      'PROFILE',
      'REVISIONS',
      'READY',
      'IN USE',
      'ACTIVE REVISION',
      'STATUS',
      'VERSION',
      'AGE',
    ]);
    expect(await header('istiocni')).toEqual(['NAME', 'NAMESPACE', 'PROFILE', 'READY', 'STATUS', 'VERSION', 'AGE']);

    const zt = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec: { namespace: 'ztunnel' },
    };
    await kubectl(['apply', '-f', '-'], { input: dump(zt) });
    created.push('ztunnel/default');
    expect(await header('ztunnel')).toEqual(['NAME', 'NAMESPACE', 'READY', 'STATUS', 'VERSION', 'REVISION', 'AGE']);
    expect(await header('ztunnels.v1alpha1.sailoperator.io')).toEqual([
      'NAME',
      'NAMESPACE',
      'PROFILE',
      'READY',
      'STATUS',
      'VERSION',
      'AGE',
    ]);

    const rev = unique('rev');
    await kubectl(['apply', '-f', '-'], {
      input: dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'IstioRevision',
        metadata: { name: rev },
        spec: {
          version: defaultVersion,
          namespace: 'istio-system',
          values: { revision: rev, profile: 'ambient', global: { istioNamespace: 'istio-system' } },
        },
      }),
    });
    created.push(`istiorevision/${rev}`);
    expect(await header('istiorev')).toEqual([
      'NAME',
      'NAMESPACE',
      'PROFILE',
      'READY',
      'STATUS',
      'IN USE',
      'VERSION',
      'AGE',
    ]);
    const tag = unique('tag');
    await kubectl(['apply', '-f', '-'], {
      input: dump({
        apiVersion: 'sailoperator.io/v1',
        kind: 'IstioRevisionTag',
        metadata: { name: tag },
        spec: { targetRef: { kind: 'Istio', name } },
      }),
    });
    created.push(`istiorevisiontag/${tag}`);
    expect(await header('istiorevtag')).toEqual(['NAME', 'STATUS', 'IN USE', 'REVISION', 'AGE']);
    // The category lists them all at once.
    const all = await kubectl(['get', 'istio-io', '-o', 'name']);
    expect(String(all.stdout)).toContain(`istio.sailoperator.io/${name}`);
    expect(String(all.stdout)).toContain(`istiorevisiontag.sailoperator.io/${tag}`);
  });

  test('a ZTunnel written as v1alpha1 reads as v1, and one written as v1 reads as v1alpha1', async () => {
    const write = async (apiVersion: string, spec: object) => {
      await kubectl(['apply', '-f', '-'], {
        input: dump({ apiVersion, kind: 'ZTunnel', metadata: { name: 'default' }, spec }),
      });
      if (!created.includes('ztunnel/default')) created.push('ztunnel/default');
    };
    const read = (version: string) => kubectlJson<Obj>(['get', `ztunnels.${version}.sailoperator.io`, 'default']);

    await write('sailoperator.io/v1alpha1', {
      namespace: 'zt-alpha',
      profile: 'ambient',
      values: { ztunnel: { logLevel: 'debug' } },
    });
    const asV1 = await read('v1');
    expect(asV1['apiVersion']).toBe('sailoperator.io/v1');
    expect(asV1.spec).toMatchObject({ namespace: 'zt-alpha', values: { ztunnel: { logLevel: 'debug' } } });

    await write('sailoperator.io/v1', { namespace: 'zt-v1', targetRef: { kind: 'Istio', name: 'default' } });
    const asAlpha = await read('v1alpha1');
    expect(asAlpha['apiVersion']).toBe('sailoperator.io/v1alpha1');
    expect(asAlpha.spec).toMatchObject({ namespace: 'zt-v1' });
  });
});
