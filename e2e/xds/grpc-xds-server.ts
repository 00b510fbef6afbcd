// An xDS-enabled gRPC server (@grpc/grpc-js-xds XdsServer, gRFC A36) in its own process: it takes its Listener —
// and so its RBAC — from our control plane, and answers every call of the echo method with its name. Prints
// `serving` once the Listener arrived and the port is open. argv: <name> <port>.
import { ServerCredentials } from '@grpc/grpc-js';
import { register, XdsServer } from '@grpc/grpc-js-xds';
import { echoService } from './echo-server.ts';

// The HTTP filters (router, RBAC) are registered here, so a server-only process must call it too.
register();
const [name = 'server', port = '0'] = process.argv.slice(2);
const server = new XdsServer();
const echo = echoService(name);
server.addService(echo.definition, echo.impl);
server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err) => {
  if (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write('serving\n');
});
process.on('SIGTERM', () => server.forceShutdown());
