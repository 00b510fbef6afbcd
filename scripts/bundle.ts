// The shipped program: src/main.ts bundled by esbuild into one ES module (dist/bundle/ambit.mjs), with the files it
// reads at run time beside it — versions.yaml, our workload protos, the Envoy/xDS/Google .proto trees from
// @grpc/grpc-js-xds and protobufjs's descriptor.proto. One file to load instead of thousands of modules: the
// container image runs this, and `make bench` measures it. `node dist/bundle/ambit.mjs version` checks it.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const out = 'dist/bundle';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: `${out}/ambit.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __ambitRequire } from 'node:module'; const require = __ambitRequire(import.meta.url);",
  },
});
cpSync('src/api/versions.yaml', `${out}/versions.yaml`);
// Only the .proto files: the modules that load them are in the bundle.
cpSync('src/xds/proto', `${out}/proto`, { recursive: true, filter: (src) => !src.endsWith('.ts') });
// The CA's ca.proto joins them: src/ca/ca-proto.ts also looks in proto/ beside the module.
cpSync('src/ca/proto', `${out}/proto`, { recursive: true });
const xdsDeps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
cpSync(xdsDeps, `${out}/deps`, { recursive: true, filter: (src) => !/\.(js|ts|json|md)$/.test(src) });
const protobufjs = dirname(require.resolve('protobufjs/package.json'));
cpSync(join(protobufjs, 'google/protobuf/descriptor.proto'), `${out}/protobufjs/google/protobuf/descriptor.proto`);
// src/cli/version.ts, bundled, finds package.json one level up: dist/package.json.
cpSync('package.json', 'dist/package.json');
