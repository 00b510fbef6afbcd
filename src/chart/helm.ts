// The pinned helm that `make binaries` builds (e2e/cluster/build-binaries.sh), so the checked-in output of the chart
// is rendered the same on every machine. It runs offline: no kubeconfig, and Helm's homes in a scratch folder.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const versionsEnv = new URL('../../e2e/cluster/versions.env', import.meta.url);

export function pinnedHelmVersion(): string {
  const m = /^HELM_VERSION=(\S+)$/m.exec(readFileSync(versionsEnv, 'utf8'));
  if (!m?.[1]) throw new Error('e2e/cluster/versions.env has no HELM_VERSION');
  return m[1];
}

/** $AMBIT_HELM, else the helm in the binary cache whose key names the pinned version. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string {
  if (env['AMBIT_HELM']) return env['AMBIT_HELM'];
  const cacheRoot = env['AMBIT_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'ambit');
  const binRoot = join(cacheRoot, 'bin');
  // The cache key is k8s-…-helm-<version>-<sums> (build-binaries.sh).
  const marker = `-helm-${pinnedHelmVersion()}-`;
  const found = existsSync(binRoot)
    ? readdirSync(binRoot)
        .filter((d) => d.includes(marker))
        .map((d) => join(binRoot, d, 'helm'))
        .filter((p) => existsSync(p))
    : [];
  if (!found[0]) {
    throw new Error(
      `helm ${pinnedHelmVersion()} not found (looked for ${binRoot}/*${marker}*/helm): run \`make binaries\`, which ` +
        'builds it from e2e/cluster/go/helm, or set AMBIT_HELM to a helm binary',
    );
  }
  return found[0];
}

/** stdout of `helm <args>`; throws with helm's stderr on failure. */
export async function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'ambit-helm-'));
  try {
    const { stdout, stderr } = await execa(findHelm(), args, {
      extendEnv: false,
      env: {
        PATH: process.env['PATH'] ?? '',
        KUBECONFIG: '/dev/null',
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      },
    });
    return { stdout, stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
