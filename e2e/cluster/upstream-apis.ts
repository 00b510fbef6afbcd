// Upstream API definitions from the Go module cache, pinned by e2e/cluster/go/upstream-apis/go.mod: Istio's CRDs
// (for the conformance test) and the Gateway API CRDs (installed into every test cluster). Read, never committed.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { loadAll } from 'js-yaml';

const moduleDir = fileURLToPath(new URL('./go/upstream-apis/', import.meta.url));

/** The cache folder build-binaries.sh uses; the Go module cache lives in it. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env['AMBIT_CACHE_DIR'] ?? `${env['XDG_CACHE_HOME'] ?? `${homedir()}/.cache`}/ambit`;
}

/**
 * Where the version of `module` that the go.mod in `goModFolder` pins is unpacked (downloaded and verified against
 * its go.sum on first use; `make setup` fetches them beforehand, as the tests run without network).
 */
export async function goModuleDir(goModFolder: string, module: string): Promise<string> {
  const env = {
    ...process.env,
    GOWORK: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=readonly',
    GOMODCACHE: process.env['AMBIT_GOMODCACHE'] ?? `${cacheRoot()}/go/mod`,
  };
  const { stdout } = await execa('go', ['mod', 'download', '-json', module], { cwd: goModFolder, env });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no folder'}`);
  return info.Dir;
}

export const upstreamModuleDir = (module: 'istio.io/api' | 'sigs.k8s.io/gateway-api') => goModuleDir(moduleDir, module);

export type UpstreamCrd = Record<string, unknown> & {
  metadata: { name: string };
  spec: { group: string; names: { kind: string }; versions: Record<string, unknown>[] } & Record<string, unknown>;
};

export async function istioUpstreamCrds(): Promise<UpstreamCrd[]> {
  const dir = await upstreamModuleDir('istio.io/api');
  const text = readFileSync(`${dir}/kubernetes/customresourcedefinitions.gen.yaml`, 'utf8');
  return (loadAll(text) as (UpstreamCrd | null)[]).filter((d): d is UpstreamCrd => d !== null);
}

/** The Gateway API files to install: the standard channel, with TCPRoute and TLSRoute from the experimental one. */
export async function gatewayApiCrdFiles(): Promise<string[]> {
  const crd = `${await upstreamModuleDir('sigs.k8s.io/gateway-api')}/config/crd`;
  const experimental = ['gateway.networking.k8s.io_tcproutes.yaml', 'gateway.networking.k8s.io_tlsroutes.yaml'];
  const standard = [
    'gateway.networking.k8s.io_backendtlspolicies.yaml',
    'gateway.networking.k8s.io_gatewayclasses.yaml',
    'gateway.networking.k8s.io_gateways.yaml',
    'gateway.networking.k8s.io_grpcroutes.yaml',
    'gateway.networking.k8s.io_httproutes.yaml',
    'gateway.networking.k8s.io_listenersets.yaml',
    'gateway.networking.k8s.io_referencegrants.yaml',
    'gateway.networking.k8s.io_udproutes.yaml',
    'gateway.networking.k8s.io_vap_safeupgrades.yaml',
  ];
  return [...standard.map((f) => `${crd}/standard/${f}`), ...experimental.map((f) => `${crd}/experimental/${f}`)];
}
