// The proxyless gRPC generator entry: a gRPC client gets only what it names, each resource generated once per model.
import { indexOf, memo, type Generator, type Named } from '../generation/generator.ts';
import { typeUrls } from '../proto/protos.ts';
import { grpcCluster, grpcEndpoints, grpcListener, grpcRouteConfiguration, indexForGrpc } from './generate.ts';
import { grpcServerListener, serverListenerPrefix } from './server.ts';

/** Proxyless gRPC clients: only what they name, each resource generated once per model. */
export const grpcGenerator: Generator = {
  types: [typeUrls.listener, typeUrls.route, typeUrls.cluster, typeUrls.endpoint],
  generate(g, proxy, typeUrl, names) {
    const index = indexOf(g, 'grpc', indexForGrpc);
    const out = new Map<string, Named>();
    for (const name of names ?? []) {
      const key =
        typeUrl === typeUrls.listener ? `grpc|${typeUrl}|${proxy.namespace}|${name}` : `grpc|${typeUrl}|${name}`;
      const one = memo(g, key, () => {
        const obj =
          typeUrl === typeUrls.listener
            ? name.startsWith(serverListenerPrefix)
              ? grpcServerListener(index, name)
              : grpcListener(index, name, proxy.namespace)
            : typeUrl === typeUrls.route
              ? grpcRouteConfiguration(index, name)
              : typeUrl === typeUrls.cluster
                ? grpcCluster(index, name)
                : grpcEndpoints(index, name);
        return new Map(obj ? [[name, obj as Named]] : []);
      });
      const obj = one.get(name);
      if (obj) out.set(name, obj);
    }
    return out;
  },
  aliases: false,
};
