// A Service's virtual IP for processes on this machine, as kube-proxy plays it for a pod (the test cluster has no
// kube-proxy): a TCP listener on 127.0.0.1 that hands each connection to the first of its endpoints accepting one,
// so a client whose endpoint died reconnects to the next, as it would through the Service of istiod's replicas.
import { connect, createServer, type Socket } from 'node:net';

export interface ServiceVip {
  port: number;
  close: () => Promise<void>;
}

/** Forwards to `127.0.0.1:<endpoint>` for each of `endpoints`, in order of preference. */
export async function startServiceVip(endpoints: number[]): Promise<ServiceVip> {
  const open = new Set<Socket>();
  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  };
  const forward = (client: Socket, next: number) => {
    const port = endpoints[next];
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port });
    track(upstream);
    let connected = false;
    upstream.once('error', () => {
      // Refused before it connected: the next endpoint; failed after: the client sees the connection end.
      if (!connected) forward(client, next + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.resume();
    });
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => client.destroy());
    forward(client, 0);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
