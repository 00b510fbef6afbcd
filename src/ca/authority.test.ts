// The CA's signing core: workload certificates from RSA and EC CSRs, names taken from us and never from the CSR,
// refused signatures, lifetimes bounded by the CA, plugged intermediates and what is wrong with bad ones, and
// serving certificates.
import { createPublicKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, test } from '@jest/globals';
import { authorityFromPem, createSelfSignedAuthority, CsrError } from './authority.ts';
import { corruptSignature, csrPem, keyPair, testCa, traditionalKeyPem } from '../testing/ca-fixtures.ts';
import { x509 } from './x509.ts';

const id = 'spiffe://cluster.local/ns/default/sa/app';
const hour = 3600;
const selfSigned = createSelfSignedAuthority({ trustDomain: 'cluster.local', ttlDays: 3650 });

const parse = (chain: string[]) => chain.map((pem) => new X509Certificate(pem));
const keyUsage = (c: X509Certificate) => new x509.X509Certificate(c.raw).getExtension(x509.KeyUsagesExtension);

/** Each certificate is issued and signed by the next one. */
function expectLinked(certs: X509Certificate[]): void {
  for (let i = 0; i + 1 < certs.length; i++) {
    expect(certs[i]!.checkIssued(certs[i + 1]!)).toBe(true);
    expect(certs[i]!.verify(certs[i + 1]!.publicKey)).toBe(true);
  }
}

describe('self-signed authority', () => {
  test('is an EC P-256 root for the trust domain that may sign certificates', async () => {
    const ca = await selfSigned;
    const root = new X509Certificate(ca.rootPem);
    expect(ca.chainPem).toEqual([]);
    expect(root.raw.equals(ca.signingCertificate.raw)).toBe(true);
    expect(root.ca).toBe(true);
    expect(root.subject).toBe('O=cluster.local');
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const usage = keyUsage(root)!;
    expect(usage.critical).toBe(true);
    expect(usage.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    const ski = new x509.X509Certificate(root.raw).getExtension(x509.SubjectKeyIdentifierExtension);
    expect(ski?.keyId).toMatch(/^[0-9a-f]{40}$/);
    const bc = new x509.X509Certificate(root.raw).getExtension(x509.BasicConstraintsExtension);
    expect(bc?.critical).toBe(true);
  });
});

describe('signCsr', () => {
  test.each(['rsa', 'ec'] as const)('signs a %s CSR: leaf then root, the identity as the only SAN', async (kind) => {
    const ca = await selfSigned;
    const keys = await keyPair(kind);
    const before = Date.now();
    const chain = await ca.signCsr(await csrPem(kind, { keys }), { identities: [id], ttlSeconds: hour });
    expect(chain).toHaveLength(2);
    expect(chain.every((pem) => pem.endsWith('-----END CERTIFICATE-----\n'))).toBe(true);
    const [leaf, root] = parse(chain);
    expect(root!.raw.equals(ca.signingCertificate.raw)).toBe(true);
    expectLinked([leaf!, root!]);
    expect(leaf!.subjectAltName).toBe(`URI:${id}`);
    expect(leaf!.ca).toBe(false);
    expect(leaf!.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(keyUsage(leaf!)?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', keys.publicKey));
    expect(leaf!.publicKey.equals(createPublicKey({ key: spki, format: 'der', type: 'spki' }))).toBe(true);
    // Backdated for clock skew, and alive for the hour asked for.
    expect(leaf!.validFromDate.getTime()).toBeLessThan(before - 60_000);
    expect(Math.abs(leaf!.validToDate.getTime() - (before + hour * 1000))).toBeLessThan(5000);
    const aki = new x509.X509Certificate(leaf!.raw).getExtension(x509.AuthorityKeyIdentifierExtension);
    const ski = new x509.X509Certificate(root!.raw).getExtension(x509.SubjectKeyIdentifierExtension);
    expect(aki?.keyId).toBe(ski?.keyId);
  });

  test('ignores the names and subject the CSR asks for', async () => {
    const ca = await selfSigned;
    const csr = await csrPem('ec', {
      subject: 'CN=admin,O=system:masters',
      sans: [
        { type: 'dns', value: 'kubernetes.default.svc' },
        { type: 'url', value: 'spiffe://cluster.local/ns/istio-system/sa/istiod' },
      ],
    });
    const [leaf] = parse(await ca.signCsr(csr, { identities: [id], ttlSeconds: hour }));
    expect(leaf!.subjectAltName).toBe(`URI:${id}`);
    expect(new x509.X509Certificate(leaf!.raw).subjectName.toJSON()).toEqual([]);
  });

  test('refuses a CSR whose signature does not verify, and one that is not a CSR', async () => {
    const ca = await selfSigned;
    const broken = corruptSignature(await csrPem('ec'));
    await expect(ca.signCsr(broken, { identities: [id], ttlSeconds: hour })).rejects.toThrow(CsrError);
    await expect(ca.signCsr(broken, { identities: [id], ttlSeconds: hour })).rejects.toThrow(/signature/);
    await expect(ca.signCsr('hello', { identities: [id], ttlSeconds: hour })).rejects.toThrow(/not a PEM PKCS#10/);
  });

  test('never issues past the CA certificate', async () => {
    const ca = await createSelfSignedAuthority({ trustDomain: 'cluster.local', ttlDays: 1 });
    const [leaf] = parse(await ca.signCsr(await csrPem('ec'), { identities: [id], ttlSeconds: 30 * 24 * hour }));
    expect(leaf!.validToDate.getTime()).toBe(ca.signingCertificate.validToDate.getTime());
  });
});

describe('plugged intermediate', () => {
  test('root -> intermediate: the chain is leaf, intermediate, root, however the chain input is given', async () => {
    const root = await testCa('O=Example,CN=Root CA', { kind: 'rsa' });
    const inter = await testCa('O=Example,CN=Intermediate CA', { parent: root });
    for (const chainPem of [inter.certPem + root.certPem, inter.certPem, root.certPem, undefined]) {
      const ca = authorityFromPem({ certPem: inter.certPem, keyPem: inter.keyPem, rootPem: root.certPem, chainPem });
      const chain = await ca.signCsr(await csrPem('ec'), { identities: [id], ttlSeconds: hour });
      expect(chain).toEqual([expect.any(String), inter.certPem, root.certPem]);
      expectLinked(parse(chain));
    }
  });

  test('root -> two intermediates, chain given out of order, signing key in SEC1 form', async () => {
    const root = await testCa('CN=Root');
    const upper = await testCa('CN=Upper', { parent: root });
    const lower = await testCa('CN=Lower', { parent: upper });
    const ca = authorityFromPem({
      certPem: lower.certPem,
      keyPem: traditionalKeyPem(lower.keyPem),
      chainPem: root.certPem + upper.certPem + lower.certPem,
      rootPem: root.certPem,
    });
    const chain = await ca.signCsr(await csrPem('ec'), { identities: [id], ttlSeconds: hour });
    expect(chain.slice(1)).toEqual([lower.certPem, upper.certPem, root.certPem]);
    expectLinked(parse(chain));
  });

  test('an RSA intermediate with a PKCS#1 key signs verifiable certificates', async () => {
    const root = await testCa('CN=Root');
    const inter = await testCa('CN=RSA Intermediate', { parent: root, kind: 'rsa' });
    const keyPem = traditionalKeyPem(inter.keyPem);
    expect(keyPem).toContain('BEGIN RSA PRIVATE KEY');
    const ca = authorityFromPem({ certPem: inter.certPem, keyPem, rootPem: root.certPem });
    expectLinked(parse(await ca.signCsr(await csrPem('ec'), { identities: [id], ttlSeconds: hour })));
  });

  test('says what is wrong with a bad CA', async () => {
    const root = await testCa('CN=Root');
    const other = await testCa('CN=Other Root');
    const inter = await testCa('CN=Intermediate', { parent: root });
    const lower = await testCa('CN=Lower', { parent: inter });
    const leafish = await testCa('CN=Not a CA', { parent: root, ca: false });
    const expired = await testCa('CN=Expired', { parent: root, notAfter: new Date(Date.now() - 1000) });
    const load = (p: Partial<Parameters<typeof authorityFromPem>[0]>) => () =>
      authorityFromPem({ certPem: inter.certPem, keyPem: inter.keyPem, rootPem: root.certPem, ...p });
    expect(load({ keyPem: other.keyPem })).toThrow(/signing key is not the private key of the certificate/);
    expect(load({ keyPem: 'junk' })).toThrow(/signing key is not a usable private key/);
    expect(load({ certPem: '' })).toThrow(/signing certificate holds no PEM certificate/);
    expect(load({ certPem: leafish.certPem, keyPem: leafish.keyPem })).toThrow(/not a CA certificate/);
    expect(load({ rootPem: other.certPem })).toThrow(/does not chain up to the root certificate/);
    expect(load({ certPem: lower.certPem, keyPem: lower.keyPem })).toThrow(/intermediates between/);
    expect(load({ certPem: expired.certPem, keyPem: expired.keyPem })).toThrow(/expired/);
  });
});

describe('issueServingCertificate', () => {
  test('a P-256 key and a certificate for the DNS names, chained to the root', async () => {
    const root = await testCa('CN=Root');
    const inter = await testCa('CN=Intermediate', { parent: root });
    const ca = authorityFromPem({ certPem: inter.certPem, keyPem: inter.keyPem, rootPem: root.certPem });
    const names = ['istiod-canary.istio-system.svc', 'istiod.istio-system.svc'];
    const { certChainPem, keyPem } = await ca.issueServingCertificate({ dnsNames: names, ttlSeconds: hour });
    expect(keyPem).toContain('-----BEGIN PRIVATE KEY-----');
    const certs = certChainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
    expect(certs.slice(1)).toEqual([inter.certPem]);
    const [leaf] = parse(certs);
    expect(leaf!.subjectAltName).toBe(names.map((n) => `DNS:${n}`).join(', '));
    expect(leaf!.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expectLinked([...parse(certs), new X509Certificate(root.certPem)]);
    // Loads as a TLS identity (throws when key and certificate do not match).
    expect(() => createSecureContext({ cert: certChainPem, key: keyPem })).not.toThrow();
  });
});
