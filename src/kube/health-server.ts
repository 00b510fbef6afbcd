// /healthz (the process serves), /readyz (caches synced; the caller decides what ready means), Prometheus /metrics
// and any read-only debug endpoints on one HTTP port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from './metrics.ts';

export interface HealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * `routes`: more read-only JSON endpoints, e.g. the control plane's /debug/ambient; each gets the query string's
 * parameters, and a thrown error becomes a 400 with its message (a bad parameter is the caller's to fix).
 */
export async function startHealthServer(
  address: string,
  port: number,
  ready: () => boolean,
  routes: Record<string, (query: URLSearchParams) => unknown> = {},
): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const ok = ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
    } else if (path === '/metrics') {
      metricsRegistry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end((err as Error).message),
      );
    } else if (routes[path]) {
      let body: string;
      try {
        body = JSON.stringify(routes[path](url.searchParams), null, 2);
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
