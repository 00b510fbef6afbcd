// `make generate`, the chart's part: its crds/ from crds/, its version from package.json, then the golden
// `helm template` and config/install.yaml rendered from it (a unit test fails when any of them is stale).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  chartCrdsDir,
  chartDir,
  chartYamlAtVersion,
  defaultGolden,
  goldenFile,
  installFile,
  installManifest,
  repoCrds,
} from './chart-files.ts';

mkdirSync(chartCrdsDir, { recursive: true });
const crds = repoCrds();
for (const [name, text] of crds) writeFileSync(new URL(name, chartCrdsDir), text);
for (const name of readdirSync(chartCrdsDir)) if (!crds.has(name)) rmSync(new URL(name, chartCrdsDir));

const chartYaml = new URL('Chart.yaml', chartDir);
writeFileSync(chartYaml, chartYamlAtVersion(readFileSync(chartYaml, 'utf8')));

writeFileSync(goldenFile, await defaultGolden());
writeFileSync(installFile, await installManifest());
console.log(`wrote ${crds.size} CRDs to charts/ambit-operator/crds/, src/chart/testdata/ and config/install.yaml`);
