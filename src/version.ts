// Ambit's version, from package.json (one source of truth for the user agent, images and --version).
import { existsSync, readFileSync } from 'node:fs';

// src/version.ts sits one level below package.json; compiled, dist/src/version.js sits two levels below.
const candidates = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)];
const packageJson = candidates.find(
  (u) => existsSync(u) && (JSON.parse(readFileSync(u, 'utf8')) as { name?: string }).name === 'ambit',
);
if (!packageJson) throw new Error('package.json of ambit not found beside the program');

export const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
