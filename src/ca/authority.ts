// The CA's signing material and what it signs with it: workload certificates from CSRs (the identities are ours
// to choose, the CSR only lends its public key) and serving certificates for the control plane's own TLS port.
import type { X509Certificate, webcrypto } from 'node:crypto';
import { certificatePath, parseCertificates, type PemLabels } from './chain.ts';
import { issueLeaf, issueSelfSignedRoot, type Issuer } from './issue.ts';
import { exportPkcs8Pem, generateEcKeyPair, importSigningKey } from './keys.ts';
import { messageOf, toPem } from './pem.ts';
import { x509 } from './x509.ts';

/** A CSR we refuse: unparsable or not signed by its own key. The caller's fault (gRPC INVALID_ARGUMENT). */
export class CsrError extends Error {
  override readonly name = 'CsrError';
}

export interface AuthorityParts {
  signingCertificate: X509Certificate;
  signingKey: webcrypto.CryptoKey;
  algorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
  keyPem: string;
  chainPem: string[];
  rootPem: string;
  notAfter: Date;
}

export class CertificateAuthority {
  /** The certificate leaves are signed with (the root itself for a self-signed CA). */
  readonly signingCertificate: X509Certificate;
  readonly signingKey: webcrypto.CryptoKey;
  /** The signing key as PKCS#8 PEM, for storing the CA in a Secret. */
  readonly keyPem: string;
  /** PEM certificates from the signing one up to, not including, the root; empty when the signing one is the root. */
  readonly chainPem: readonly string[];
  /** The trust bundle: the root the chain ends in, possibly with other roots (as root-cert.pem may hold). */
  readonly rootPem: string;
  /** The earliest expiry along the path; no leaf outlives it. */
  readonly notAfter: Date;
  readonly #issuer: Issuer;

  /** Use `createSelfSignedAuthority` or `authorityFromPem`, which check the parts belong together. */
  constructor(parts: AuthorityParts) {
    this.signingCertificate = parts.signingCertificate;
    this.signingKey = parts.signingKey;
    this.keyPem = parts.keyPem;
    this.chainPem = parts.chainPem;
    this.rootPem = parts.rootPem;
    this.notAfter = parts.notAfter;
    this.#issuer = {
      certificate: new x509.X509Certificate(parts.signingCertificate.raw),
      key: parts.signingKey,
      algorithm: parts.algorithm,
      notAfter: parts.notAfter,
    };
  }

  /** The signing certificate as PEM. */
  get certPem(): string {
    return toPem('CERTIFICATE', this.signingCertificate.raw);
  }

  /**
   * Signs a workload certificate for `identities` (URIs, normally one SPIFFE id) with the CSR's public key.
   * Returns the chain as Istio's CA answers it: leaf first, then the intermediates, the trust bundle last.
   */
  async signCsr(csrPem: string, opts: { identities: string[]; ttlSeconds: number }): Promise<string[]> {
    if (opts.identities.length === 0) throw new Error('no identity to put in the certificate');
    const csr = await verifiedCsr(csrPem);
    const leaf = await issueLeaf(this.#issuer, {
      publicKey: csr.publicKey,
      sans: opts.identities.map((value) => ({ type: 'url', value })),
      ttlSeconds: opts.ttlSeconds,
    });
    return [toPem('CERTIFICATE', leaf.rawData), ...this.chainPem, this.rootPem];
  }

  /**
   * A fresh P-256 key and a certificate for `dnsNames`, e.g. the control plane's `istiod-<rev>.<ns>.svc`.
   * `certChainPem` is the leaf and the intermediates (clients hold the root); `keyPem` is PKCS#8.
   */
  async issueServingCertificate(opts: {
    dnsNames: string[];
    ttlSeconds: number;
  }): Promise<{ certChainPem: string; keyPem: string }> {
    if (opts.dnsNames.length === 0) throw new Error('no DNS name to put in the certificate');
    const keys = await generateEcKeyPair();
    const leaf = await issueLeaf(this.#issuer, {
      publicKey: keys.publicKey,
      sans: opts.dnsNames.map((value) => ({ type: 'dns', value })),
      ttlSeconds: opts.ttlSeconds,
    });
    return {
      certChainPem: [toPem('CERTIFICATE', leaf.rawData), ...this.chainPem].join(''),
      keyPem: await exportPkcs8Pem(keys.privateKey),
    };
  }
}

/** Parses a CSR and checks it is signed by the key it carries (proof the requester holds that key). */
async function verifiedCsr(pem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (e) {
    throw new CsrError(`the CSR is not a PEM PKCS#10 certificate request: ${messageOf(e)}`, { cause: e });
  }
  let valid: boolean;
  try {
    valid = await csr.verify();
  } catch (e) {
    throw new CsrError(`the CSR's signature cannot be checked: ${messageOf(e)}`, { cause: e });
  }
  if (!valid) throw new CsrError("the CSR's signature does not match its public key");
  return csr;
}

/** A new self-signed ECDSA P-256 root for `trustDomain`, which signs workload certificates itself. */
export async function createSelfSignedAuthority(opts: {
  trustDomain: string;
  ttlDays: number;
}): Promise<CertificateAuthority> {
  const keys = await generateEcKeyPair();
  const root = await issueSelfSignedRoot({ keys, organization: opts.trustDomain, ttlDays: opts.ttlDays });
  const rootPem = toPem('CERTIFICATE', root.rawData);
  return authorityFromPem({ certPem: rootPem, keyPem: await exportPkcs8Pem(keys.privateKey), rootPem });
}

export const defaultLabels: PemLabels = {
  cert: 'the signing certificate',
  key: 'the signing key',
  chain: 'the certificate chain',
  root: 'the root certificate',
};

/**
 * A CA from PEM text: a plugged intermediate (istiod's `cacerts`) or a stored self-signed root. `chainPem` holds
 * the certificates between `certPem` and the root (it may repeat both); `rootPem` one or more roots. Checks that
 * the key belongs to the certificate, that it may sign certificates and that it chains up to a root; errors
 * name the inputs by `labels`.
 */
export function authorityFromPem(
  pems: { certPem: string; keyPem: string; chainPem?: string; rootPem: string },
  labels: PemLabels = defaultLabels,
): CertificateAuthority {
  const [signing, ...extra] = parseCertificates(pems.certPem, labels.cert);
  if (!signing) throw new Error(`${labels.cert} holds no PEM certificate; put the CA certificate there`);
  const key = importSigningKey(pems.keyPem, labels.key);
  if (!signing.checkPrivateKey(key.keyObject))
    throw new Error(
      `${labels.key} is not the private key of the certificate in ${labels.cert}; ` +
        `put the key that certificate was issued for in ${labels.key}`,
    );
  checkCanSign(signing, labels);
  const roots = parseCertificates(pems.rootPem, labels.root);
  const pool = [...extra, ...parseCertificates(pems.chainPem ?? '', labels.chain)];
  const path = certificatePath(signing, pool, roots, labels);
  const above = [signing, ...path.intermediates, path.root];
  const notAfter = new Date(Math.min(...above.map((c) => c.validToDate.getTime())));
  if (notAfter.getTime() <= Date.now())
    throw new Error(
      `the CA's certificate path expired on ${notAfter.toISOString()} (${labels.cert}, ${labels.chain}, ` +
        `${labels.root}); issue new certificates`,
    );
  const selfSigned = signing.raw.equals(path.root.raw);
  const chain = selfSigned ? [] : [signing, ...path.intermediates];
  return new CertificateAuthority({
    signingCertificate: signing,
    signingKey: key.key,
    algorithm: key.algorithm,
    keyPem: key.pkcs8Pem,
    chainPem: chain.map((c) => toPem('CERTIFICATE', c.raw)),
    rootPem: roots.map((c) => toPem('CERTIFICATE', c.raw)).join(''),
    notAfter,
  });
}

/** A CA certificate (basicConstraints CA:TRUE) whose key usage, if stated, includes keyCertSign. */
function checkCanSign(cert: X509Certificate, labels: PemLabels): void {
  if (!cert.ca)
    throw new Error(
      `the certificate in ${labels.cert} is not a CA certificate; issue it with ` +
        `basicConstraints=critical,CA:true and keyUsage=critical,keyCertSign,cRLSign`,
    );
  const usage = new x509.X509Certificate(cert.raw).getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0)
    throw new Error(`the certificate in ${labels.cert} may not sign certificates: its keyUsage lacks keyCertSign`);
}
