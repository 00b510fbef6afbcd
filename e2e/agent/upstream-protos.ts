// The protos Ambit must be wire-compatible with, as the pinned Istio modules compile them: the workload API and its
// authorization (istio.io/istio, which ships only the generated Go for the latter) and the CA (istio.io/api). Each
// .pb.go file carries its FileDescriptorProto as a Go string literal; read from the Go module cache, never copied.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { goModuleDir } from '../cluster/upstream-apis.ts';

const moduleDir = fileURLToPath(new URL('./go/', import.meta.url));

/** The generated files, by module. */
const generated = [
  { module: 'istio.io/istio', file: 'pkg/workloadapi/workload.pb.go' },
  { module: 'istio.io/istio', file: 'pkg/workloadapi/security/authorization.pb.go' },
  { module: 'istio.io/api', file: 'security/v1alpha1/ca.pb.go' },
] as const;

/** The well-known types those import, as protobufjs has them built in. */
const wellKnown = ['any', 'wrappers', 'empty', 'struct'].map((n) => `google/protobuf/${n}.proto`);

const simpleEscapes: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
  "'": 39,
};

/** The bytes of a Go interpreted string literal's pieces (`"…" + "…"`), with Go's escapes. */
export function goStringBytes(literal: string): Buffer {
  const out: number[] = [];
  for (const piece of literal.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
    const s = piece[1] ?? '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i] ?? '';
      if (c !== '\\') {
        out.push(...Buffer.from(c, 'utf8'));
        continue;
      }
      const e = s[i + 1] ?? '';
      if (e in simpleEscapes) {
        out.push(simpleEscapes[e] ?? 0);
        i += 1;
      } else if (e === 'x') {
        out.push(parseInt(s.slice(i + 2, i + 4), 16));
        i += 3;
      } else if (/[0-7]/.test(e)) {
        out.push(parseInt(s.slice(i + 1, i + 4), 8));
        i += 3;
      } else throw new Error(`unsupported Go escape \\${e}`);
    }
  }
  return Buffer.from(out);
}

/** The FileDescriptorProto in a generated .pb.go file. */
export function rawDescriptor(goSource: string, file: string): Uint8Array {
  const m = /const file_\w+_rawDesc = ((?:\s*\+?\s*"(?:[^"\\\n]|\\.)*")+)/.exec(goSource);
  if (!m?.[1]) throw new Error(`${file}: no raw descriptor (const file_…_rawDesc = "…") found`);
  return goStringBytes(m[1]);
}

/** Upstream's messages and enums in one resolved Root; field names as the .proto files spell them (snake_case). */
export async function upstreamProtoRoot(): Promise<protobuf.Root> {
  const files = await Promise.all(
    generated.map(async ({ module, file }) => {
      const path = `${await goModuleDir(moduleDir, module)}/${file}`;
      return descriptor.FileDescriptorProto.decode(rawDescriptor(await readFile(path, 'utf8'), path));
    }),
  );
  const builtIn = new protobuf.Root();
  for (const f of wellKnown)
    builtIn.addJSON((protobuf.common.get(f) as { nested: protobuf.INamespace['nested'] }).nested ?? {});
  builtIn.resolveAll();
  const set = (builtIn as unknown as { toDescriptor: (syntax: string) => { file: unknown[] } }).toDescriptor('proto3');
  const root = (protobuf.Root as unknown as { fromDescriptor: (s: object) => protobuf.Root }).fromDescriptor({
    file: [...set.file, ...files],
  });
  root.resolveAll();
  return root;
}
