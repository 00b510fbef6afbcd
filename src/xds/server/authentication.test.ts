// xDS callers against a real server with a plaintext and a TLS listener: tokens (checked by a table standing in for
// the API server's TokenReview), client certificates from a CA made with openssl, and the node a caller may ask for.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { createLogger } from '../../kube/logger.ts';
import { AdsTestClient } from '../../testing/ads-client.ts';
import { encodeResource, typeUrls } from '../proto/protos.ts';
import { authorizeNode, certificateIdentities, xdsAuthenticator, type Identity } from './authentication.ts';
import { parseProxy } from './proxy.ts';
import { envoyPushOrder, resource, type Resource, type ResourceSource } from './resources.ts';
import { XdsServer } from './xds-server.ts';

const cds = new Map<string, Resource>([
  ['a', resource('a', encodeResource(typeUrls.cluster, { name: 'a', type: 'EDS', connectTimeout: '1s' }))],
]);
const source: ResourceSource = {
  typesFor: () => envoyPushOrder,
  resources: (_p, typeUrl) => (typeUrl === typeUrls.cluster ? cds : new Map()),
};

/** The tokens the stand-in API server accepts, and whose they are. */
const tokens = new Map<string, Identity>([
  ['token-of-app-waypoint', { namespace: 'app', serviceAccount: 'waypoint' }],
  ['token-of-other-sleep', { namespace: 'other', serviceAccount: 'sleep' }],
]);
const reviewToken = (token: string, clusterId: string | undefined) => {
  if (clusterId !== undefined && clusterId !== 'Kubernetes') return Promise.reject(new Error('another cluster'));
  const who = tokens.get(token);
  return who ? Promise.resolve(who) : Promise.reject(new Error('the API server did not accept it'));
};

const appNode = { id: 'waypoint~127.0.0.1~waypoint-5d8f7-abcde.app~app.svc.cluster.local' };
const dir = mkdtempSync(join(tmpdir(), 'ambit-xds-auth-'));
const pki = (name: string) => readFileSync(`${dir}/${name}`);
const openssl = (args: string[]) => execa('openssl', args, { cwd: dir });
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA. */
async function ca(name: string) {
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  ]);
}
/** A certificate `issuer` signs, with the subjectAltName given. */
async function leaf(name: string, issuer: string, san: string) {
  await openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=${name}`]);
  writeFileSync(`${dir}/${name}.ext`, `subjectAltName=${san}\n`);
  await openssl([
    ...['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-CAcreateserial'],
    ...['-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`],
  ]);
}

const server = new XdsServer(source, { listeners: [{ host: '127.0.0.1', port: 0 }] }, createLogger('error'));
let plainPort = 0;
let tlsPort = 0;
const clients: AdsTestClient[] = [];

beforeAll(async () => {
  await ca('mesh-ca');
  await ca('other-ca');
  await leaf('server', 'mesh-ca', 'IP:127.0.0.1');
  await leaf('app-waypoint', 'mesh-ca', 'URI:spiffe://cluster.local/ns/app/sa/waypoint');
  await leaf('forged', 'other-ca', 'URI:spiffe://cluster.local/ns/app/sa/waypoint');
  [plainPort = 0, tlsPort = 0] = await server.start({
    authenticate: xdsAuthenticator({ reviewToken, enabled: true, plaintext: true }),
    more: [{ host: '127.0.0.1', port: 0, tls: { certChain: pki('server.pem'), privateKey: pki('server.key') } }],
    clientRoots: pki('mesh-ca.pem').toString(),
  });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The first CDS answer, or the status the stream ended with. */
async function ask(
  opts: { tls?: { cert?: string }; token?: string; node?: { id: string; metadata?: Record<string, unknown> } } = {},
) {
  const creds = opts.tls
    ? credentials.createSsl(
        pki('mesh-ca.pem'),
        opts.tls.cert ? pki(`${opts.tls.cert}.key`) : null,
        opts.tls.cert ? pki(`${opts.tls.cert}.pem`) : null,
      )
    : credentials.createInsecure();
  const c = new AdsTestClient(`127.0.0.1:${String(opts.tls ? tlsPort : plainPort)}`, opts.node ?? appNode, {
    creds,
    ...(opts.token ? { token: opts.token } : {}),
  });
  clients.push(c);
  const s = c.sotw();
  s.send({ typeUrl: typeUrls.cluster });
  return s.next(5000).then(
    (r) => ({ served: r.resources.length }),
    (e: unknown) => {
      const { code, details } = e as { code?: number; details?: string };
      return { code, details };
    },
  );
}

describe('xDS callers must prove who they are', () => {
  test.each([false, true])('no credentials: UNAUTHENTICATED, saying what to send (TLS: %s)', async (tls) => {
    expect(await ask(tls ? { tls: {} } : {})).toEqual({
      code: status.UNAUTHENTICATED,
      details: expect.stringContaining('no credentials sent; send "authorization: Bearer'),
    });
  });

  test.each([false, true])('a token the API server refuses: UNAUTHENTICATED with its reason (TLS: %s)', async (tls) => {
    expect(await ask({ ...(tls ? { tls: {} } : {}), token: 'made-up' })).toEqual({
      code: status.UNAUTHENTICATED,
      details: 'token refused: the API server did not accept it',
    });
  });

  test.each([false, true])("another namespace's token: PERMISSION_DENIED naming both (TLS: %s)", async (tls) => {
    expect(await ask({ ...(tls ? { tls: {} } : {}), token: 'token-of-other-sleep' })).toEqual({
      code: status.PERMISSION_DENIED,
      details: expect.stringContaining('is of app, but the caller is other/sleep (by its token)'),
    });
  });

  test.each([false, true])("the node's own token is served (TLS: %s)", async (tls) => {
    expect(await ask({ ...(tls ? { tls: {} } : {}), token: 'token-of-app-waypoint' })).toEqual({ served: 1 });
  });

  test('a node naming another service account than the token is refused', async () => {
    const node = { ...appNode, metadata: { SERVICE_ACCOUNT: 'admin' } };
    expect(await ask({ token: 'token-of-app-waypoint', node })).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: expect.stringContaining('is of app/admin'),
    });
  });

  test("a client certificate from the mesh's CA is proof over TLS; one from another CA is not", async () => {
    expect(await ask({ tls: { cert: 'app-waypoint' } })).toEqual({ served: 1 });
    expect(await ask({ tls: { cert: 'forged' } })).toMatchObject({ code: status.UNAUTHENTICATED });
    const other = { id: 'waypoint~127.0.0.1~waypoint-5d8f7-abcde.other~other.svc.cluster.local' };
    expect(await ask({ tls: { cert: 'app-waypoint' }, node: other })).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: expect.stringContaining('(by its certificate)'),
    });
  });

  test('nothing is kept of a refused caller', () => {
    expect(server.proxies.filter((p) => p.identity === undefined)).toEqual([]);
  });
});

describe('what a listener requires', () => {
  const anonymousCall = { metadata: { get: () => [] }, getAuthContext: () => ({}) } as never;

  test('plaintext callers are anonymous only when plaintext authentication is turned off', async () => {
    const lax = xdsAuthenticator({ reviewToken, enabled: true, plaintext: false });
    expect(await lax(anonymousCall, { tls: false })).toEqual({ via: 'anonymous' });
    await expect(lax(anonymousCall, { tls: true })).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    const off = xdsAuthenticator({ reviewToken, enabled: false, plaintext: true });
    expect(await off(anonymousCall, { tls: true })).toEqual({ via: 'anonymous' });
  });

  test("an anonymous caller may ask for any node; a metadata NAMESPACE other than the node id's is refused", () => {
    const proxy = parseProxy(appNode.id, { NAMESPACE: 'other' });
    expect(authorizeNode(proxy, { via: 'anonymous' })).toBeUndefined();
    const app = { namespace: 'app', serviceAccount: 'waypoint' };
    expect(() => authorizeNode(proxy, { via: 'token', identities: [app] })).toThrow('is of app and other');
  });

  test('certificate identities are the SPIFFE URIs among its SANs', () => {
    const cert = { subjectaltname: 'DNS:x.svc, URI:spiffe://td/ns/a/sa/b, URI:https://example, IP Address:1.2.3.4' };
    expect(certificateIdentities(cert as never)).toEqual([{ namespace: 'a', serviceAccount: 'b' }]);
  });
});
