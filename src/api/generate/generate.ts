// `make generate`: writes crds/ from src/api and removes CRD files no definition produces any more.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { renderCrdFiles } from './crd-files.ts';

const dir = new URL('../../../crds/', import.meta.url);
await mkdir(dir, { recursive: true });
const files = renderCrdFiles();
for (const [name, text] of files) await writeFile(new URL(name, dir), text);
for (const name of await readdir(dir)) if (!files.has(name)) await rm(new URL(name, dir));
console.log(`wrote ${files.size} CRDs to crds/`);
