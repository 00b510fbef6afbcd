// Lists against a fake API server on loopback that replays the responses real API servers send: a metadata-only list
// of nothing (`"items": null`), an empty page that still has a continue token, and 410 Gone for an expired token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiClient } from './api-client.ts';
import { KubeClient } from './client.ts';
import { resources } from './resources.ts';

let server: Server;
let client: KubeClient;
let replies: ((url: URL) => [number, unknown])[] = [];
let asked: URL[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    asked.push(url);
    const reply = replies.shift();
    const [code, body] = reply ? reply(url) : [500, { kind: 'Status', code: 500, message: 'no reply left' }];
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'fake', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'fake', user: 'u' }],
    currentContext: 'c',
  });
  client = new KubeClient(new ApiClient(kc, 'ambit-test/0.1', 2_000));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const item = (name: string) => ({ metadata: { name } });
const page = (items: unknown, resourceVersion: string, next?: string) => () =>
  [
    200,
    { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion, ...(next ? { continue: next } : {}) }, items },
  ] as [number, unknown];
const gone = () =>
  [
    410,
    {
      kind: 'Status',
      status: 'Failure',
      code: 410,
      reason: 'Expired',
      message: 'The provided continue parameter is too old',
    },
  ] as [number, unknown];

describe('KubeClient.listAll', () => {
  test('a metadata-only list of nothing ("items": null) is an empty list', async () => {
    replies = [page(null, '42')];
    await expect(client.listAll(resources.deployment, { accept: 'application/json' })).resolves.toEqual({
      items: [],
      metadata: { resourceVersion: '42' },
    });
  });

  test('follows continue tokens across empty pages, with the last page’s resourceVersion', async () => {
    replies = [page([item('a')], '7', 'c1'), page([], '7', 'c2'), page(null, '7', 'c3'), page([item('b')], '7')];
    asked = [];
    const list = await client.listAll(resources.configMap, { limit: 1 });
    expect(list.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(list.metadata.resourceVersion).toBe('7');
    expect(asked.map((u) => u.searchParams.get('continue'))).toEqual([null, 'c1', 'c2', 'c3']);
    expect(asked.every((u) => u.searchParams.get('limit') === '1')).toBe(true);
  });

  test('an expired continue token starts the list over; a list that keeps expiring fails', async () => {
    replies = [page([item('a')], '7', 'c1'), gone, page([item('a')], '9', 'd1'), page([item('b')], '9')];
    const list = await client.listAll(resources.configMap);
    expect(list).toEqual({ items: [item('a'), item('b')], metadata: { resourceVersion: '9' } });
    replies = [
      page([item('a')], '7', 'c1'),
      gone,
      page([item('a')], '8', 'd1'),
      gone,
      page([item('a')], '9', 'e1'),
      gone,
    ];
    await expect(client.listAll(resources.configMap)).rejects.toMatchObject({ code: 410 });
  });

  test('410 on the first page (a resourceVersion too old) is the caller’s: the informer relists', async () => {
    replies = [gone];
    await expect(client.listAll(resources.configMap, { resourceVersion: '1' })).rejects.toMatchObject({ code: 410 });
  });
});
