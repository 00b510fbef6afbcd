// Ambit's version, from package.json (one source of truth for the user agent, images and --version).
import { existsSync, readFileSync } from 'node:fs';

// The nearest package.json of ambit: bundled, dist/bundle/ambit.mjs sits one level below dist/package.json (the
// image's /app/package.json); src/cli/version.ts sits two levels below package.json, compiled dist/src/cli/version.js
// three.
const candidates = ['../package.json', '../../package.json', '../../../package.json'].map(
  (p) => new URL(p, import.meta.url),
);
const packageJson = candidates.find(
  (u) => existsSync(u) && (JSON.parse(readFileSync(u, 'utf8')) as { name?: string }).name === 'ambit',
);
if (!packageJson) throw new Error('package.json of ambit not found beside the program');

export const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
