// Building certificates: a leaf for a workload or a serving port, and a self-signed root. Leaves carry only the
// names the CA decided on (never what a CSR asked for), with an empty subject, so the SAN is critical (RFC 5280).
import type { webcrypto } from 'node:crypto';
import { x509 } from './x509.ts';

/** Backdating notBefore absorbs clock skew between us and the peers checking the certificate (istiod: 2 min). */
export const clockSkewMs = 2 * 60 * 1000;

export interface Issuer {
  certificate: x509.X509Certificate;
  key: webcrypto.CryptoKey;
  algorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
  /** No certificate outlives its issuer's path. */
  notAfter: Date;
}

export interface LeafRequest {
  publicKey: x509.PublicKey | webcrypto.CryptoKey;
  sans: x509.JsonGeneralName[];
  ttlSeconds: number;
  now?: Date;
}

/** The issuer's own key identifier when it has one, so AKI matches its SKI however that was computed. */
async function authorityKeyIdentifier(issuer: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski
    ? new x509.AuthorityKeyIdentifierExtension(ski.keyId)
    : x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey);
}

export async function issueLeaf(issuer: Issuer, req: LeafRequest): Promise<x509.X509Certificate> {
  const now = req.now ?? new Date();
  if (issuer.notAfter.getTime() <= now.getTime())
    throw new Error(`the CA certificate expired on ${issuer.notAfter.toISOString()}; replace it`);
  const notAfter = new Date(Math.min(now.getTime() + req.ttlSeconds * 1000, issuer.notAfter.getTime()));
  return x509.X509CertificateGenerator.create({
    // No serialNumber: the library draws 16 random bytes.
    issuer: issuer.certificate.subjectName,
    notBefore: new Date(now.getTime() - clockSkewMs),
    notAfter,
    publicKey: req.publicKey,
    signingKey: issuer.key,
    signingAlgorithm: issuer.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(req.publicKey),
      await authorityKeyIdentifier(issuer.certificate),
      new x509.SubjectAlternativeNameExtension(req.sans, true),
    ],
  });
}

export interface RootRequest {
  keys: webcrypto.CryptoKeyPair;
  organization: string;
  ttlDays: number;
  now?: Date;
}

/** A self-signed ECDSA root that signs leaves directly. */
export async function issueSelfSignedRoot(req: RootRequest): Promise<x509.X509Certificate> {
  const now = req.now ?? new Date();
  return x509.X509CertificateGenerator.createSelfSigned({
    name: [{ O: [req.organization] }],
    notBefore: new Date(now.getTime() - clockSkewMs),
    notAfter: new Date(now.getTime() + req.ttlDays * 86_400_000),
    keys: req.keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(req.keys.publicKey),
    ],
  });
}
