// The CA in istiod's Secret layouts: the self-signed istio-ca-secret round trip, an operator's cacerts made with
// openssl as Istio's docs make them (checked back with openssl), the kubernetes.io/tls form, and errors that name
// the Secret and key at fault.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { createSelfSignedAuthority } from './authority.ts';
import {
  authorityFromIstioCaSecret,
  authorityFromPluggedSecret,
  istioCaSecretData,
  type SecretData,
} from './ca-secrets.ts';
import { csrPem, testCa } from '../testing/ca-fixtures.ts';

const id = 'spiffe://cluster.local/ns/default/sa/app';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString();
const encodeAll = (files: Record<string, string>): SecretData =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [k, b64(v)]));

const dir = mkdtempSync(join(tmpdir(), 'ambit-cacerts-'));
const file = (name: string) => readFileSync(join(dir, name), 'utf8');
const openssl = (...args: string[]) => execa('openssl', args, { cwd: dir });

/** Istio's plugin-CA recipe in small: an RSA root, an EC intermediate (SEC1 key), cert-chain = intermediate + root. */
beforeAll(async () => {
  await openssl(
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root-key.pem', '-out', 'root-cert.pem'],
    ...['-days', '30', '-subj', '/O=Istio/CN=Root CA'],
    ...['-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  );
  await openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca-key.pem');
  await openssl('req', '-new', '-key', 'ca-key.pem', '-out', 'ca.csr', '-subj', '/O=Istio/CN=Intermediate CA/L=c1');
  writeFileSync(
    join(dir, 'ext.cnf'),
    'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,digitalSignature,keyEncipherment,keyCertSign\n' +
      'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=DNS:istiod.istio-system.svc\n',
  );
  await openssl(
    ...['x509', '-req', '-in', 'ca.csr', '-CA', 'root-cert.pem', '-CAkey', 'root-key.pem', '-CAcreateserial'],
    ...['-out', 'ca-cert.pem', '-days', '20', '-extfile', 'ext.cnf'],
  );
  writeFileSync(join(dir, 'cert-chain.pem'), file('ca-cert.pem') + file('root-cert.pem'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('istio-ca-secret', () => {
  test('round trip: the keys istiod writes, and the same CA read back', async () => {
    const ca = await createSelfSignedAuthority({ trustDomain: 'cluster.local', ttlDays: 365 });
    const data = istioCaSecretData(ca);
    expect(Object.keys(data).sort()).toEqual([
      'ca-cert.pem',
      'ca-key.pem',
      'cert-chain.pem',
      'key.pem',
      'root-cert.pem',
    ]);
    expect(data['cert-chain.pem']).toBe('');
    expect(data['key.pem']).toBe('');
    expect(unb64(data['root-cert.pem'])).toBe(unb64(data['ca-cert.pem']));
    const back = authorityFromIstioCaSecret(data);
    expect(back.certPem).toBe(ca.certPem);
    expect(back.keyPem).toBe(ca.keyPem);
    const [leaf, root] = (await back.signCsr(await csrPem('ec'), { identities: [id], ttlSeconds: 60 })).map(
      (p) => new X509Certificate(p),
    );
    expect(leaf!.verify(root!.publicKey)).toBe(true);
  });

  test('stored in cacerts it is marked istio-generated and still loads (its cert-chain.pem is empty)', async () => {
    const ca = await createSelfSignedAuthority({ trustDomain: 'cluster.local', ttlDays: 365 });
    const data = istioCaSecretData(ca, 'cacerts');
    expect(data['istio-generated']).toBe('');
    expect(authorityFromPluggedSecret(data)?.certPem).toBe(ca.certPem);
  });

  test('errors name the Secret and the key', async () => {
    const ca = await createSelfSignedAuthority({ trustDomain: 'cluster.local', ttlDays: 365 });
    const { 'ca-key.pem': _, ...noKey } = istioCaSecretData(ca);
    expect(() => authorityFromIstioCaSecret(noKey)).toThrow(/^Secret istio-ca-secret: ca-key\.pem missing/);
    const junk = {
      ...istioCaSecretData(ca),
      'ca-cert.pem': b64('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'),
    };
    expect(() => authorityFromIstioCaSecret(junk)).toThrow(
      /^Secret istio-ca-secret: ca-cert\.pem: certificate #1 does not parse/,
    );
  });
});

describe('cacerts', () => {
  const istioFiles = () => ({
    'ca-cert.pem': file('ca-cert.pem'),
    'ca-key.pem': file('ca-key.pem'),
    'root-cert.pem': file('root-cert.pem'),
    'cert-chain.pem': file('cert-chain.pem'),
  });

  test('an openssl-made intermediate signs leaves openssl verifies; the chain is leaf, intermediate, root', async () => {
    const ca = authorityFromPluggedSecret(encodeAll(istioFiles()))!;
    const chain = await ca.signCsr(await csrPem('rsa'), { identities: [id], ttlSeconds: 3600 });
    expect(chain).toHaveLength(3);
    expect(new X509Certificate(chain[1]!).raw.equals(new X509Certificate(file('ca-cert.pem')).raw)).toBe(true);
    expect(new X509Certificate(chain[2]!).raw.equals(new X509Certificate(file('root-cert.pem')).raw)).toBe(true);
    writeFileSync(join(dir, 'leaf.pem'), chain[0]!);
    const verified = await openssl(
      ...['verify', '-CAfile', 'root-cert.pem', '-untrusted', 'ca-cert.pem', '-purpose', 'sslclient', 'leaf.pem'],
    );
    expect(verified.stdout).toBe('leaf.pem: OK');
  });

  test('the kubernetes.io/tls form: tls.crt, tls.key, ca.crt', async () => {
    const data = encodeAll({
      'tls.crt': file('ca-cert.pem'),
      'tls.key': file('ca-key.pem'),
      'ca.crt': file('root-cert.pem'),
    });
    const ca = authorityFromPluggedSecret(data)!;
    expect(ca.chainPem).toHaveLength(1);
    expect(await ca.signCsr(await csrPem('ec'), { identities: [id], ttlSeconds: 60 })).toHaveLength(3);
    const { 'tls.key': _, ...noKey } = data;
    expect(() => authorityFromPluggedSecret(noKey)).toThrow(/^Secret cacerts: tls\.key missing/);
  });

  test('none of the keys: no plugged CA; some of them: an error listing what is missing', () => {
    expect(authorityFromPluggedSecret({})).toBeUndefined();
    expect(authorityFromPluggedSecret({ unrelated: b64('x') })).toBeUndefined();
    expect(() => authorityFromPluggedSecret(encodeAll({ 'root-cert.pem': file('root-cert.pem') }))).toThrow(
      /^Secret cacerts: incomplete plugged CA: ca-cert\.pem, ca-key\.pem, cert-chain\.pem missing/,
    );
  });

  test('a key that does not belong to the certificate, or a chain that does not reach the root', async () => {
    const stranger = await testCa('CN=Stranger');
    const wrongKey = encodeAll({ ...istioFiles(), 'ca-key.pem': stranger.keyPem });
    expect(() => authorityFromPluggedSecret(wrongKey)).toThrow(
      /^Secret cacerts: ca-key\.pem is not the private key of the certificate in ca-cert\.pem/,
    );
    const wrongRoot = encodeAll({ ...istioFiles(), 'root-cert.pem': stranger.certPem, 'cert-chain.pem': '' });
    expect(() => authorityFromPluggedSecret(wrongRoot)).toThrow(
      /^Secret cacerts: the certificate in ca-cert\.pem .* does not chain up to root-cert\.pem/,
    );
  });
});
