// The proxyless gRPC generator entry: a gRPC client gets only what it names, each resource generated once per model.
import { indexOf, type Generator, type Named } from '../generation/generator.ts';
import { typeUrls } from '../proto/protos.ts';
import {
  grpcCluster,
  grpcEndpoints,
  grpcListener,
  grpcRouteConfiguration,
  indexForGrpc,
  type GrpcIndex,
} from './generate.ts';
import { grpcServerListener, serverListenerAddress } from './server.ts';

/** The one resource of `typeUrl` named `name`, if the model has it. */
function generateOne(index: GrpcIndex, namespace: string, typeUrl: string, name: string): Named | undefined {
  const obj =
    typeUrl === typeUrls.listener
      ? serverListenerAddress(name) !== undefined
        ? grpcServerListener(index, name)
        : grpcListener(index, name, namespace)
      : typeUrl === typeUrls.route
        ? grpcRouteConfiguration(index, name)
        : typeUrl === typeUrls.cluster
          ? grpcCluster(index, name)
          : grpcEndpoints(index, name);
  return obj as Named | undefined;
}

/** Proxyless gRPC clients: only what they name, each resource generated once per model. */
export const grpcGenerator: Generator = {
  types: [typeUrls.listener, typeUrls.route, typeUrls.cluster, typeUrls.endpoint],
  generate(g, proxy, typeUrl, names) {
    const index = indexOf(g, 'grpc', indexForGrpc);
    const out = new Map<string, Named>();
    for (const name of names ?? []) {
      const key =
        typeUrl === typeUrls.listener ? `grpc|${typeUrl}|${proxy.namespace}|${name}` : `grpc|${typeUrl}|${name}`;
      // Only what exists is kept: names a client makes up cost nothing past its request.
      const kept = g.generated.get(key)?.get(name);
      const obj = kept ?? generateOne(index, proxy.namespace, typeUrl, name);
      if (!obj) continue;
      if (!kept) g.generated.set(key, new Map([[name, obj]]));
      out.set(name, obj);
    }
    return out;
  },
  aliases: false,
};
