// The server side of the soak, in a process of its own so its memory is its own: an xDS server over the synthetic
// mesh on a free loopback port, logging JSON to a byte counter. Over IPC it reports its port once listening, and on
// request its heap (after a GC), RSS and log bytes; it stops on 'stop'.
import { Writable } from 'node:stream';
import { anonymousCallers } from '../../src/testing/anonymous-callers.ts';
import winston from 'winston';
import { syntheticMesh } from '../../src/testing/synthetic-mesh.ts';
import { protoRoot } from '../../src/xds/proto/protos.ts';
import { MeshResources } from '../../src/xds/source.ts';
import { XdsServer } from '../../src/xds/server/xds-server.ts';

export interface SoakServerReport {
  heapMb: number;
  rssMb: number;
  logBytes: number;
  open: number;
}

protoRoot();
let logBytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logBytes += chunk.length;
    done();
  },
});
const log = winston.createLogger({
  level: 'info',
  format: winston.format.json(),
  // winston's transports are TransportStreams; the rule trips over the two copies of its type declarations.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  transports: [new winston.transports.Stream({ stream: sink })],
});
const server = new XdsServer(new MeshResources(syntheticMesh()), { listeners: [{ host: '127.0.0.1', port: 0 }] }, log);
const [port] = await server.start({ authenticate: anonymousCallers });
process.send?.({ port });
process.on('message', (m: string) => {
  if (m === 'stop') {
    void server.stop().then(() => process.exit(0));
    return;
  }
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const report: SoakServerReport = {
    heapMb: mem.heapUsed / 2 ** 20,
    rssMb: mem.rss / 2 ** 20,
    logBytes,
    open: server.proxies.length,
  };
  process.send?.(report);
});
