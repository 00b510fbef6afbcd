// The chart's derived files are current (`make generate`), its defaults are what `ambit operator` expects, and
// `helm lint` finds nothing. These run the pinned helm; without it they fail and say how to build it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../kube/objects.ts';
import { version } from '../cli/version.ts';
import { operatorHelp } from '../operator/command.ts';
import {
  chartCrdsDir,
  chartDir,
  chartYamlAtVersion,
  defaultGolden,
  goldenFile,
  installFile,
  installManifest,
  renderChart,
  repoCrds,
} from './chart-files.ts';
import { helm } from './helm.ts';

const read = (u: URL) => readFileSync(u, 'utf8');
const objects = (text: string) => (loadAll(text) as (KubeObject | null)[]).filter((o) => o !== null);
const ids = (list: KubeObject[]) => list.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);

// On any failure here: run `make generate` and commit what it changed.
describe('files `make generate` derives from the chart', () => {
  test('the chart ships exactly the repository CRDs, byte for byte', () => {
    const crds = repoCrds();
    expect(readdirSync(chartCrdsDir).sort()).toEqual([...crds.keys()]);
    for (const [name, text] of crds) {
      expect({ name, identical: read(new URL(name, chartCrdsDir)) === text }).toEqual({ name, identical: true });
    }
  });

  test("Chart.yaml's version and appVersion are package.json's", () => {
    const chartYaml = read(new URL('Chart.yaml', chartDir));
    expect(chartYaml).toBe(chartYamlAtVersion(chartYaml));
    expect(chartYaml).toMatch(new RegExp(`^appVersion: ${version.replaceAll('.', '\\.')}$`, 'm'));
  });

  test('the default `helm template` is the golden file', async () => {
    expect(read(goldenFile)).toBe(await defaultGolden());
  });

  test('config/install.yaml is current', async () => {
    expect(read(installFile)).toBe(await installManifest());
  });

  test('config/install.yaml holds the Namespace, the CRDs and the chart objects, all in the release namespace', async () => {
    const install = objects(read(installFile));
    const chart = objects(await renderChart());
    expect(ids(install)).toEqual([
      'Namespace//ambit-operator',
      ...[...repoCrds().values()].flatMap((t) => ids(objects(t))),
      ...ids(chart),
    ]);
    const namespaced = chart.filter((o) => !o.kind.startsWith('Cluster'));
    expect(namespaced.map((o) => o.metadata.namespace)).toEqual(namespaced.map(() => 'ambit-operator'));
  });
});

describe('chart defaults', () => {
  test('helm lint --strict is clean', async () => {
    const { stdout } = await helm(['lint', '--strict', fileURLToPath(chartDir)]);
    expect(stdout).toContain('0 chart(s) failed');
    expect(stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  test('the operator runs the image `ambit operator` defaults the control plane to, with reachable probes', async () => {
    const deployment = objects(await renderChart()).find((o) => o.kind === 'Deployment');
    const pod = (deployment?.['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
    const [container] = pod['containers'] as Record<string, unknown>[];
    expect(operatorHelp).toContain(`(default ambit/ambit:${version})`);
    expect(container).toMatchObject({
      image: `ambit/ambit:${version}`,
      args: expect.arrayContaining([
        'operator',
        '--health-probe-bind-address=:8081',
        '--metrics-bind-address=:8080',
        `--control-plane-image=ambit/ambit:${version}`,
      ]),
      env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
      readinessProbe: { httpGet: { path: '/readyz', port: 'probes' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'probes' } },
      securityContext: {
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    });
    expect((container?.['args'] as string[])[0]).toBe('operator');
    expect(pod['securityContext']).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('values are checked: unknown keys and several replicas without leader election are refused', async () => {
    await expect(renderChart(['--set', 'replica=2'])).rejects.toThrow(/additional properties 'replica' not allowed/);
    await expect(renderChart(['--set', 'logLevel=trace'])).rejects.toThrow(/logLevel/);
    await expect(renderChart(['--set', 'replicas=2', '--set', 'leaderElection.enabled=false'])).rejects.toThrow(
      /needs leaderElection.enabled/,
    );
  });

  test('values change the Deployment as documented', async () => {
    const text = await renderChart([
      '--set',
      'logLevel=debug,replicas=2,platform=openshift,image.tag=dev,controlPlaneImage=cp:1,metrics.service.enabled=false',
      '--set',
      'extraArgs[0]=--max-concurrent-reconciles=4',
    ]);
    const list = objects(text);
    expect(list.some((o) => o.kind === 'Service')).toBe(false);
    const spec = list.find((o) => o.kind === 'Deployment')?.['spec'] as {
      replicas: number;
      template: { spec: { containers: { image: string; args: string[] }[] } };
    };
    expect(spec.replicas).toBe(2);
    expect(spec.template.spec.containers[0]).toMatchObject({
      image: 'ambit/ambit:dev',
      args: expect.arrayContaining([
        '--log-level=debug',
        '--platform=openshift',
        '--control-plane-image=cp:1',
        '--max-concurrent-reconciles=4',
      ]),
    });
  });
});
