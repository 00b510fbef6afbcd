// An xDS-enabled gRPC server (@grpc/grpc-js-xds XdsServer, gRFC A36) in its own process: it takes its Listener —
// and so its RBAC — from our control plane, and answers every call of the echo method with its name. Prints
// `serving` once the Listener arrived and the port is open. argv: <name> <port>.
import { ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { register, XdsServer } from '@grpc/grpc-js-xds';
import { echoMethod } from './echo-server.ts';

// The HTTP filters (router, RBAC) are registered here, so a server-only process must call it too.
register();
const [name = 'server', port = '0'] = process.argv.slice(2);
const identity = (b: Buffer) => b;
const server = new XdsServer();
const impl: UntypedServiceImplementation = {
  Echo: (_call: unknown, callback: (err: null, reply: Buffer) => void) => callback(null, Buffer.from(name)),
};
server.addService(
  {
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
  impl,
);
server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err) => {
  if (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write('serving\n');
});
process.on('SIGTERM', () => server.forceShutdown());
