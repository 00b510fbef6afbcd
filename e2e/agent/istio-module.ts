// What the pinned istio.io/istio module (e2e/agent/go) gives the tests: the pilot-agent and pilot-discovery (istiod)
// binaries, built once into the versioned cache (build-istio.sh), and Istio's Envoy bootstrap template, read from the
// Go module cache at run time and never copied into the repository.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { goModuleDir } from '../cluster/upstream-apis.ts';

const moduleDir = fileURLToPath(new URL('./go/', import.meta.url));
const buildScript = fileURLToPath(new URL('./build-istio.sh', import.meta.url));

/** A program's path; builds it first on a cold cache (`make setup` does it beforehand). */
async function istioBinary(name: 'pilot-agent' | 'pilot-discovery'): Promise<string> {
  const { stdout } = await execa('bash', [buildScript, name], { stderr: 'inherit' });
  const binary = stdout.trim().split('\n').pop();
  if (!binary) throw new Error(`${buildScript} ${name} printed no binary path`);
  return binary;
}

export const pilotAgentBinary = () => istioBinary('pilot-agent');

/** istiod: a test oracle only, never shipped. */
export const pilotDiscoveryBinary = () => istioBinary('pilot-discovery');

const istioModuleDir = () => goModuleDir(moduleDir, 'istio.io/istio');

export const bootstrapTemplateFile = 'tools/packaging/common/envoy_bootstrap.json';

/**
 * Istio's bootstrap template without its `{{- if .metadata_discovery }}` bootstrap extension: pilot-agent turns it on
 * for every waypoint, and only istio-proxy's Envoy has that extension (upstream Envoy exits on it).
 */
export async function waypointBootstrapTemplate(): Promise<string> {
  const file = `${await istioModuleDir()}/${bootstrapTemplateFile}`;
  return withoutMetadataDiscovery(await readFile(file, 'utf8'), file);
}

export function withoutMetadataDiscovery(template: string, file = 'the template'): string {
  const blocks = [...template.matchAll(/\n[ \t]*\{\{- if \.metadata_discovery \}\}([\s\S]*?)\{\{- end \}\}/g)].filter(
    (m) => m[1]!.includes('"name": "metadata_discovery"'),
  );
  const block = blocks[0];
  // One block, holding the extension and nothing templated of its own: anything else means the template changed.
  if (blocks.length !== 1 || !block || block[1]!.includes('{{') || !block[1]!.includes('istio.workload.'))
    throw new Error(
      `${file}: expected exactly one '{{- if .metadata_discovery }} … {{- end }}' block holding the ` +
        `metadata_discovery bootstrap extension, found ${blocks.length}; the template changed, update ` +
        'e2e/agent/istio-module.ts',
    );
  return template.replace(block[0], '');
}
