// Ambit's version, from package.json (one source of truth for the user agent, images and --version).
import { readFileSync } from 'node:fs';

export const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url).pathname.replace(/\/dist\//, '/'), 'utf8')) as {
    version: string;
  }
).version;
