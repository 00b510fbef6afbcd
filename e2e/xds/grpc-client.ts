// A proxyless gRPC client (@grpc/grpc-js-xds, not ours) in its own process, bootstrapped against our xDS server,
// driven over stdin: each line `<count> <target> [<header>=<value>]` makes that many calls to `xds:///<target>`
// (with that request header) and prints one JSON
// line `{"<server>": n, …, "code=<n>": n}` with where they landed or how they failed. The process and its channel
// live across commands, so configuration changes reach it without a restart.
import { createInterface } from 'node:readline';
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { register } from '@grpc/grpc-js-xds';
import { echoMethod } from './echo-server.ts';

register();
const clients = new Map<string, Client>();
const identity = (b: Buffer) => b;

function call(client: Client, metadata: Metadata): Promise<string> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      echoMethod,
      identity,
      identity,
      Buffer.alloc(0),
      metadata,
      { deadline: Date.now() + 2000 },
      (err: ServiceError | null, reply?: Buffer) => resolve(err ? `code=${String(err.code)}` : String(reply)),
    );
  });
}

for await (const line of createInterface({ input: process.stdin })) {
  const [count = '0', target = '', header] = line.trim().split(/\s+/);
  const metadata = new Metadata();
  if (header) {
    const [k = '', v = ''] = header.split('=');
    metadata.set(k, v);
  }
  let client = clients.get(target);
  if (!client) {
    client = new Client(`xds:///${target}`, credentials.createInsecure());
    clients.set(target, client);
  }
  const counts: Record<string, number> = {};
  for (let i = 0; i < Number(count); i++) {
    const where = await call(client, metadata);
    counts[where] = (counts[where] ?? 0) + 1;
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}
for (const c of clients.values()) c.close();
