// Keys, CSRs and CA hierarchies for the CA's tests, made with @peculiar/x509 (openssl-made ones are in the tests
// that need an independent implementation).
import { createPrivateKey, type webcrypto } from 'node:crypto';
import { exportPkcs8Pem } from '../ca/keys.ts';
import { toPem } from '../ca/pem.ts';
import { x509 } from '../ca/x509.ts';

export const rsaParams: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
export const ecParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export type KeyKind = 'rsa' | 'ec';

export async function keyPair(kind: KeyKind): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(kind === 'rsa' ? rsaParams : ecParams, true, ['sign', 'verify']);
}

/** A CSR as pilot-agent (RSA) or ztunnel (EC) sends one; `sans` and `subject` are what it asks for. */
export async function csrPem(
  kind: KeyKind,
  opts: { sans?: x509.JsonGeneralName[]; subject?: string; keys?: webcrypto.CryptoKeyPair } = {},
): Promise<string> {
  const keys = opts.keys ?? (await keyPair(kind));
  const extensions = opts.sans ? [new x509.SubjectAlternativeNameExtension(opts.sans)] : [];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    ...(opts.subject === undefined ? {} : { name: opts.subject }),
    keys,
    signingAlgorithm: kind === 'rsa' ? rsaParams : ecParams,
    extensions,
  });
  return csr.toString('pem');
}

/** The same CSR with one bit of its signature flipped. */
export function corruptSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 5]! ^= 0x01;
  return toPem('CERTIFICATE REQUEST', der);
}

export interface TestCa {
  certPem: string;
  keyPem: string;
  keys: webcrypto.CryptoKeyPair;
  cert: x509.X509Certificate;
}

const caExtensions = async (publicKey: webcrypto.CryptoKey) => [
  new x509.BasicConstraintsExtension(true, undefined, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  await x509.SubjectKeyIdentifierExtension.create(publicKey),
];

const day = 86_400_000;

/** A CA certificate named `name`, self-signed or issued by `parent`; `ca: false` makes a non-CA one. */
export async function testCa(
  name: string,
  opts: { parent?: TestCa; kind?: KeyKind; ca?: boolean; notAfter?: Date } = {},
): Promise<TestCa> {
  const kind = opts.kind ?? 'ec';
  const keys = await keyPair(kind);
  const extensions =
    opts.ca === false
      ? [new x509.BasicConstraintsExtension(false, undefined, true)]
      : await caExtensions(keys.publicKey);
  const parent = opts.parent;
  const signer = parent?.keys ?? keys;
  const parentKind = parent ? parent.keys.privateKey.algorithm.name : keys.privateKey.algorithm.name;
  const cert = await x509.X509CertificateGenerator.create({
    subject: name,
    issuer: parent ? parent.cert.subjectName : name,
    notBefore: new Date(Date.now() - day),
    notAfter: opts.notAfter ?? new Date(Date.now() + 365 * day),
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: parentKind === 'ECDSA' ? ecParams : rsaParams,
    extensions: parent
      ? [...extensions, await x509.AuthorityKeyIdentifierExtension.create(parent.keys.publicKey)]
      : extensions,
  });
  return { certPem: toPem('CERTIFICATE', cert.rawData), keyPem: await exportPkcs8Pem(keys.privateKey), keys, cert };
}

/** A PKCS#8 key PEM re-encoded as SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"). */
export function traditionalKeyPem(pkcs8Pem: string): string {
  const key = createPrivateKey(pkcs8Pem);
  return key.export({ type: key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1', format: 'pem' }) as string;
}
