// The ADS protocol against our server over 127.0.0.1 with a grpc-js client: SotW ACK/NACK, stale nonces,
// reconnect with a stale version, subscription changes; delta wildcard, add/remove, on-demand names, and
// initial_resource_versions on reconnect; a TLS listener.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { anonymousCallers } from '../../testing/anonymous-callers.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { createLogger } from '../../kube/logger.ts';
import { AdsTestClient } from '../../testing/ads-client.ts';
import { encodeResource, typeUrls } from '../proto/protos.ts';
import type { Proxy } from './proxy.ts';
import { envoyPushOrder, resource, type Resource, type ResourceSource } from './resources.ts';
import { XdsServer } from './xds-server.ts';

/** A source whose content the test sets: clusters and endpoints by name. */
class TestSource implements ResourceSource {
  readonly content = new Map<string, Map<string, Resource>>([
    [typeUrls.cluster, new Map()],
    [typeUrls.endpoint, new Map()],
    [typeUrls.listener, new Map()],
    [typeUrls.route, new Map()],
  ]);

  typesFor(): readonly string[] {
    return envoyPushOrder;
  }

  resources(_p: Proxy, typeUrl: string, names: ReadonlySet<string> | undefined): Map<string, Resource> {
    const all = this.content.get(typeUrl) ?? new Map<string, Resource>();
    return names ? new Map([...all].filter(([n]) => names.has(n))) : all;
  }

  cluster(name: string, seconds = 1): void {
    const body = encodeResource(typeUrls.cluster, { name, type: 'EDS', connectTimeout: `${String(seconds)}s` });
    this.content.get(typeUrls.cluster)?.set(name, resource(name, body));
  }

  endpoints(name: string, port: number): void {
    const body = encodeResource(typeUrls.endpoint, {
      clusterName: name,
      endpoints: [
        { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: port } } } }] },
      ],
    });
    this.content.get(typeUrls.endpoint)?.set(name, resource(name, body));
  }
}

/** Waits until `done` holds, checking every 10 ms for at most 3 s. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

const source = new TestSource();
const server = new XdsServer(source, { listeners: [{ host: '127.0.0.1', port: 0 }] }, createLogger('error'));
let address = '';
const node = { id: 'waypoint~127.0.0.1~wp-5d8f7-abcde.ns~ns.svc.cluster.local' };
const clients: AdsTestClient[] = [];
const client = () => {
  const c = new AdsTestClient(address, node);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  source.cluster('a');
  source.cluster('b');
  source.endpoints('a', 1001);
  const [port] = await server.start({ authenticate: anonymousCallers });
  address = `127.0.0.1:${String(port)}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

describe('state of the world', () => {
  test('wildcard CDS: answered, ACKed, pushed again only on change; a NACK is recorded and not answered', async () => {
    const s = client().sotw();
    s.send({ typeUrl: typeUrls.cluster });
    const first = await s.next();
    expect(first.resources).toHaveLength(2);
    expect(first.versionInfo).not.toBe('');
    s.send({ typeUrl: typeUrls.cluster, versionInfo: first.versionInfo, responseNonce: first.nonce });
    server.pushAll();
    expect(await s.inbox.quiet(200)).toBe(true);

    source.cluster('c');
    server.pushAll();
    const second = await s.next();
    expect(second.resources).toHaveLength(3);
    expect(second.versionInfo).not.toBe(first.versionInfo);

    s.send({
      typeUrl: typeUrls.cluster,
      versionInfo: first.versionInfo,
      responseNonce: second.nonce,
      errorDetail: { code: 3, message: 'cluster c: bad config' },
    });
    expect(await s.inbox.quiet(200)).toBe(true);
    expect(server.lastRejects.get(node.id)).toMatchObject({
      typeUrl: typeUrls.cluster,
      message: 'cluster c: bad config',
    });
    server.pushAll();
    expect(await s.inbox.quiet(200)).toBe(true);
    source.content.get(typeUrls.cluster)?.delete('c');
    server.pushAll();
    expect((await s.next()).resources).toHaveLength(2);
    s.end();
  });

  test('named EDS: the names asked for, a subscription change answered, a stale nonce ignored', async () => {
    const s = client().sotw();
    s.send({ typeUrl: typeUrls.endpoint, resourceNames: ['a'] });
    const first = await s.next();
    expect(first.resources).toHaveLength(1);
    s.send({ typeUrl: typeUrls.endpoint, resourceNames: ['a', 'b'], responseNonce: first.nonce });
    const second = await s.next();
    // b has no endpoints resource: absent, not an error.
    expect(second.resources).toHaveLength(1);
    s.send({ typeUrl: typeUrls.endpoint, resourceNames: ['b'], responseNonce: 'stale-nonce' });
    expect(await s.inbox.quiet(200)).toBe(true);
    s.end();
  });

  test('a reconnecting client with a stale version gets the current content at once', async () => {
    const s = client().sotw();
    s.send({ typeUrl: typeUrls.cluster, versionInfo: 'version-from-an-earlier-server' });
    const r = await s.next();
    expect(r.resources).toHaveLength(2);
    expect(r.versionInfo).not.toBe('version-from-an-earlier-server');
    s.end();
  });

  test('a node id that is not Istio-shaped ends the stream with a clear error', async () => {
    const c = new AdsTestClient(address, { id: 'just-a-name' });
    clients.push(c);
    const s = c.sotw();
    s.send({ typeUrl: typeUrls.cluster });
    await expect(s.next(2000)).rejects.toThrow(/node id "just-a-name" is not of the form/);
  });
});

describe('delta', () => {
  test('wildcard: everything, then only what changed, and removals', async () => {
    const s = client().delta();
    s.send({ typeUrl: typeUrls.cluster });
    const first = await s.next();
    expect(first.resources.map((r) => r.name).sort()).toEqual(['a', 'b']);
    s.send({ typeUrl: typeUrls.cluster, responseNonce: first.nonce });
    source.cluster('b', 5);
    server.pushAll();
    const second = await s.next();
    expect(second.resources.map((r) => r.name)).toEqual(['b']);
    expect(second.removedResources).toEqual([]);
    s.send({ typeUrl: typeUrls.cluster, responseNonce: second.nonce });
    source.content.get(typeUrls.cluster)?.delete('b');
    server.pushAll();
    const third = await s.next();
    expect(third.resources).toEqual([]);
    expect(third.removedResources).toEqual(['b']);
    source.cluster('b');
    s.end();
  });

  test('named subscriptions: a missing name is answered as removed; unsubscribing sends nothing', async () => {
    const s = client().delta();
    s.send({ typeUrl: typeUrls.endpoint, resourceNamesSubscribe: ['a', 'nope'] });
    const first = await s.next();
    expect(first.resources.map((r) => r.name)).toEqual(['a']);
    expect(first.removedResources).toEqual(['nope']);
    s.send({ typeUrl: typeUrls.endpoint, resourceNamesUnsubscribe: ['a'], responseNonce: first.nonce });
    // Nothing answers an unsubscribe; this quiet spell also lets the server take it before the change below.
    expect(await s.inbox.quiet(200)).toBe(true);
    source.endpoints('a', 1002);
    server.pushAll();
    expect(await s.inbox.quiet(200)).toBe(true);
    s.end();
  });

  test('a NACK is never answered with the same content; a fix, or a return to what was accepted, is sent', async () => {
    const s = client().delta();
    s.send({ typeUrl: typeUrls.cluster });
    const first = await s.next();
    s.send({ typeUrl: typeUrls.cluster, responseNonce: first.nonce });
    source.cluster('a', 7);
    server.pushAll();
    const bad = await s.next();
    expect(bad.resources.map((r) => r.name)).toEqual(['a']);
    s.send({ typeUrl: typeUrls.cluster, responseNonce: bad.nonce, errorDetail: { code: 13, message: 'bad a' } });
    // Other changes push nothing for `a`: the client may have applied part of the update, never this again.
    server.pushAll();
    expect(await s.inbox.quiet(200)).toBe(true);
    // Back to the content the client had accepted: it is sent, since the rejected version may be what it holds.
    source.cluster('a');
    server.pushAll();
    const reverted = await s.next();
    expect(reverted.resources.map((r) => r.name)).toEqual(['a']);
    expect(server.lastRejects.get(node.id)?.message).toBe('bad a');
    s.end();
  });

  test('initial_resource_versions: what the client already holds is not sent again', async () => {
    const s1 = client().delta();
    s1.send({ typeUrl: typeUrls.cluster });
    const held = await s1.next();
    s1.end();
    source.cluster('a', 9);
    const s2 = client().delta();
    s2.send({
      typeUrl: typeUrls.cluster,
      initialResourceVersions: Object.fromEntries(held.resources.map((r) => [r.name, r.version])),
    });
    const r = await s2.next();
    expect(r.resources.map((x) => x.name)).toEqual(['a']);
    s2.end();
  });
});

/** A self-signed EC certificate for 127.0.0.1, made with openssl in `dir`. */
async function selfSigned(dir: string, name: string) {
  await execa('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', `${dir}/${name}.key`, '-out', `${dir}/${name}.pem`, '-days', '1', '-subj', `/CN=${name}`],
    ...['-addext', 'subjectAltName=IP:127.0.0.1'],
  ]);
  return { certChain: readFileSync(`${dir}/${name}.pem`), privateKey: readFileSync(`${dir}/${name}.key`) };
}

/** Whether a client trusting only `trusted` gets CDS from the TLS server on `port`. */
async function syncsOverTls(port: number, trusted: Buffer): Promise<boolean> {
  const c = new AdsTestClient(`127.0.0.1:${String(port)}`, node, { creds: credentials.createSsl(trusted) });
  const s = c.sotw();
  s.send({ typeUrl: typeUrls.cluster });
  const ok = await s.next(3000).then(
    (r) => r.resources.length > 0,
    () => false,
  );
  c.close();
  return ok;
}

/** A TLS server on a free port with the certificate `first` (made in `dir`), for `run`; stopped and cleaned after. */
async function withTlsServer(run: (server: XdsServer, port: number, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ambit-xds-tls-'));
  const tls = new XdsServer(
    source,
    { listeners: [{ host: '127.0.0.1', port: 0, tls: await selfSigned(dir, 'first') }] },
    createLogger('error'),
  );
  try {
    const [port = 0] = await tls.start({ authenticate: anonymousCallers });
    await run(tls, port, dir);
  } finally {
    await tls.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('what a client can make the server keep', () => {
  test('a node id past the limit ends the stream with INVALID_ARGUMENT before anything is kept', async () => {
    const long = new AdsTestClient(address, { id: `waypoint~127.0.0.1~${'p'.repeat(20_000)}.ns~ns.svc.cluster.local` });
    clients.push(long);
    const s = long.sotw();
    s.send({ typeUrl: typeUrls.cluster });
    await expect(s.next(3000)).rejects.toMatchObject({ code: 3, details: expect.stringContaining('longer than 1024') });
    expect(server.proxies).toHaveLength(0);
  });

  test('a type the proxy is not served is answered once with nothing, not counted as a NACK; many such types end it', async () => {
    const s = client().delta();
    s.send({ typeUrl: 'type.googleapis.com/made.up.Type' });
    const empty = await s.next();
    expect(empty).toMatchObject({ typeUrl: 'type.googleapis.com/made.up.Type', resources: [], removedResources: [] });
    s.send({ typeUrl: 'type.googleapis.com/made.up.Type', responseNonce: empty.nonce });
    expect(await s.inbox.quiet(200)).toBe(true);
    expect(server.lastRejects.size).toBe(0);
    for (let i = 0; i < 8; i++) s.send({ typeUrl: `type.googleapis.com/garbage.T${String(i)}` });
    const answered = await Promise.all(Array.from({ length: 7 }, () => s.next()));
    expect(answered.every((r) => r.resources.length === 0)).toBe(true);
    await expect(s.next(3000)).rejects.toMatchObject({
      code: 3,
      details: expect.stringContaining('more than 8 types'),
    });
  });

  test('a NACK is kept only while its stream lasts', async () => {
    const s = client().sotw();
    s.send({ typeUrl: typeUrls.cluster });
    const first = await s.next();
    s.send({ typeUrl: typeUrls.cluster, responseNonce: first.nonce, errorDetail: { code: 3, message: 'bad' } });
    expect(await s.inbox.quiet(200)).toBe(true);
    expect(server.lastRejects.get(node.id)?.message).toBe('bad');
    s.end();
    await until(() => server.proxies.length === 0);
    expect(server.lastRejects.size).toBe(0);
  });
});

describe('TLS', () => {
  test('a listener with a certificate serves ADS over TLS to a client that trusts it, not to a plaintext one', () =>
    withTlsServer(async (_server, port, dir) => {
      expect(await syncsOverTls(port, readFileSync(`${dir}/first.pem`))).toBe(true);
      const plain = new AdsTestClient(`127.0.0.1:${String(port)}`, node);
      const p = plain.sotw();
      p.send({ typeUrl: typeUrls.cluster });
      await expect(p.next(3000)).rejects.toThrow();
      plain.close();
    }));

  test('a rotated certificate is what new connections get, without a rebind', () =>
    withTlsServer(async (server, port, dir) => {
      server.rotateCertificate(await selfSigned(dir, 'second'));
      expect(await syncsOverTls(port, readFileSync(`${dir}/second.pem`))).toBe(true);
      expect(await syncsOverTls(port, readFileSync(`${dir}/first.pem`))).toBe(false);
    }));
});
