// Plain gRPC echo servers on 127.0.0.1 for the proxyless tests: each answers every call with its own name, so a
// client can count where its calls landed. One method, raw bytes both ways (no generated code needed).
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';

export const echoMethod = '/ambit.test.Echo/Echo';

export interface EchoServer {
  name: string;
  port: number;
  stop: () => Promise<void>;
}

const identity = (b: Buffer) => b;

/** The echo service answering with `name`, for any grpc-js Server (plain or xDS-enabled). */
export function echoService(name: string): { definition: ServiceDefinition; impl: UntypedServiceImplementation } {
  return {
    definition: {
      Echo: {
        path: echoMethod,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    impl: {
      Echo: (_call: unknown, callback: (err: null, reply: Buffer) => void) => callback(null, Buffer.from(name)),
    },
  };
}

export async function startEchoServer(name: string): Promise<EchoServer> {
  const server = new Server();
  const echo = echoService(name);
  server.addService(echo.definition, echo.impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    name,
    port,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
