// Which build of `ambit` the harness runs: the TypeScript sources by default (no build step for tests), or the
// shipped bundle when AMBIT_PROGRAM names it (`make bench` measures what the image runs).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ambitProgram = (): string =>
  process.env['AMBIT_PROGRAM']
    ? resolve(process.env['AMBIT_PROGRAM'])
    : fileURLToPath(new URL('../../src/main.ts', import.meta.url));
