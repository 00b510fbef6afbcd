// The protobuf types the xDS server speaks: Envoy's v3 API (the .proto files shipped in @grpc/grpc-js-xds), and
// our own workload API protos for ztunnel (beside this module). Loaded once into one protobufjs Root so that Any
// payloads (typed_config) resolve by type URL. Resources are plain objects in protobuf JSON form (camelCase fields,
// `@type` inside Any); `encodeResource` refuses fields the message does not declare.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { fromJson, toJson } from './proto-json.ts';

const require = createRequire(import.meta.url);
const beside = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Where the .proto files are: beside the program in the bundled build (`deps/`, `protobufjs/`, copied there by
 * scripts/bundle.ts), else in the installed packages. Our own protos are in `proto/` beside the bundle, else beside this
 * module.
 */
function includeDirs(): string[] {
  const bundled = existsSync(beside('./deps'));
  const deps = bundled ? beside('./deps') : join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  // google/protobuf/descriptor.proto; protobufjs has the other well-known types built in.
  const protobufjs = bundled ? beside('./protobufjs') : dirname(require.resolve('protobufjs/package.json'));
  return [
    protobufjs,
    join(deps, 'envoy-api'),
    join(deps, 'xds'),
    join(deps, 'googleapis'),
    join(deps, 'protoc-gen-validate'),
    bundled ? beside('./proto') : beside('.'),
  ];
}

/** Every message type a generator may emit, directly or inside an Any. */
const protoFiles = [
  'envoy/service/discovery/v3/ads.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto',
  'envoy/extensions/filters/network/rbac/v3/rbac.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/fault/v3/fault.proto',
  'envoy/extensions/filters/http/rbac/v3/rbac.proto',
  'envoy/extensions/filters/http/cors/v3/cors.proto',
  'envoy/extensions/filters/http/set_filter_state/v3/set_filter_state.proto',
  'envoy/extensions/filters/listener/original_dst/v3/original_dst.proto',
  'envoy/extensions/filters/listener/http_inspector/v3/http_inspector.proto',
  'envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  'envoy/extensions/transport_sockets/internal_upstream/v3/internal_upstream.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/matching/common_inputs/network/v3/network_inputs.proto',
  'xds/type/matcher/v3/matcher.proto',
  'xds/type/matcher/v3/ip.proto',
  'workload.proto',
  'authorization.proto',
];

export const typeUrls = {
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  address: 'type.googleapis.com/istio.workload.Address',
  authorization: 'type.googleapis.com/istio.security.Authorization',
} as const;

export type TypeUrl = (typeof typeUrls)[keyof typeof typeUrls];

let root: protobuf.Root | undefined;

/** The loaded protobuf Root (loaded on first use: about a second). */
export function protoRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  const dirs = includeDirs();
  r.resolvePath = (_origin, target) => {
    for (const dir of dirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return target;
  };
  r.loadSync(protoFiles, { keepCase: false });
  r.resolveAll();
  root = r;
  return r;
}

/** The message type named by a type URL (`type.googleapis.com/<full name>`). */
export function messageType(typeUrl: string): protobuf.Type {
  return protoRoot().lookupType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
}

/**
 * Encodes a resource given in the proto3 JSON form (camelCase or snake_case names, `@type` inside Any, durations
 * as "1.5s", wrapper types as plain values). Throws on a field its message (or a nested Any's) does not declare,
 * which protobufjs would otherwise drop silently.
 */
export function encodeResource(typeUrl: string, resource: object): Uint8Array {
  const type = messageType(typeUrl);
  const unknown: string[] = [];
  const converted = fromJson(type, resource as Record<string, unknown>, unknown);
  if (unknown.length > 0) throw new Error(`${type.fullName.slice(1)}: fields not in the proto: ${unknown.join(', ')}`);
  return type.encode(type.fromObject(converted)).finish();
}

/** Decodes bytes into the proto3 JSON form (Any payloads expanded with `@type`). */
export function decodeResource(typeUrl: string, bytes: Uint8Array): Record<string, unknown> {
  const type = messageType(typeUrl);
  return toJson(type, type.toObject(type.decode(bytes), toObjectOptions));
}

const toObjectOptions: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: String, json: true };
