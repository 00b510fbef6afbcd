// The client wrapper's error handling against a fake API server on loopback (the one place a fake is allowed).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiClient, ApiError } from './api-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('{}');
let server: Server;
let port: number;
let seen: IncomingMessage[] = [];

function clientFor(p: number, timeoutMs = 2_000): ApiClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${p}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'c', cluster: 'fake', user: 'u' }],
    currentContext: 'c',
  });
  return new ApiClient(kc, 'ambit-test/0.1', timeoutMs);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const status =
  (code: number, reason: string, message: string, causes?: object[]) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message, details: causes ? { causes } : {} }),
    );
  };

describe('ApiClient', () => {
  test('sends our user agent, the bearer token and the content type; parses JSON', async () => {
    seen = [];
    handler = (_req, res) => res.end(JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'x' } }));
    const got = await clientFor(port).request<{ kind: string }>({
      method: 'PATCH',
      path: '/api/v1/namespaces/n/configmaps/x',
      query: { fieldManager: 'm', force: true },
      body: { a: 1 },
      contentType: 'application/apply-patch+yaml',
    });
    expect(got.kind).toBe('ConfigMap');
    const req = seen[0]!;
    expect(req.url).toBe('/api/v1/namespaces/n/configmaps/x?fieldManager=m&force=true');
    expect(req.headers['user-agent']).toBe('ambit-test/0.1');
    expect(req.headers['authorization']).toBe('Bearer secret-token');
    expect(req.headers['content-type']).toBe('application/apply-patch+yaml');
  });

  test("a Status answer becomes an ApiError with the server's code, reason, message and causes", async () => {
    handler = status(409, 'Conflict', 'Apply failed with 1 conflict', [
      { reason: 'FieldManagerConflict', field: '.data.a' },
    ]);
    const err = await clientFor(port)
      .request({ method: 'PATCH', path: '/x', body: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict' });
    expect((err as ApiError).causes).toEqual([{ reason: 'FieldManagerConflict', field: '.data.a' }]);
  });

  test('a non-JSON error body keeps its text', async () => {
    handler = (_req, res) => res.writeHead(502).end('bad gateway');
    await expect(clientFor(port).request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 502,
      message: 'bad gateway',
    });
  });

  test('no answer within the timeout is an error, not a hang', async () => {
    handler = () => undefined;
    await expect(clientFor(port, 200).request({ method: 'GET', path: '/slow' })).rejects.toMatchObject({
      code: 0,
      reason: 'Timeout',
    });
  });

  test('a refused connection is a transport error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(clientFor(closedPort).request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 0,
      reason: 'TransportError',
    });
  });

  test('a watch delivers each JSON line and ends with the stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"a":1}}\n{"type":"MOD');
      setTimeout(() => res.end('IFIED","object":{"a":2}}\n'), 20);
    };
    const lines: string[] = [];
    await clientFor(port).watch('/w', {}, (l) => lines.push(l), new AbortController().signal, 2_000);
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['ADDED', 'MODIFIED']);
    expect(seen.at(-1)?.url).toBe('/w?watch=true');
  });

  test('a watch whose handler throws ends with that error', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('{"type":"ERROR","object":{"code":410}}\n');
    };
    const boom = new ApiError(410, 'Expired', 'too old');
    await expect(
      clientFor(port).watch(
        '/w',
        {},
        () => {
          throw boom;
        },
        new AbortController().signal,
        2_000,
      ),
    ).rejects.toBe(boom);
  });

  test('a watch that goes silent is cut after the idle time', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('\n');
    };
    await expect(
      clientFor(port).watch('/w', {}, () => undefined, new AbortController().signal, 200),
    ).rejects.toBeInstanceOf(Error);
  });
});
