// The path from a signing certificate up to a trusted root, found among the certificates an operator supplied and
// checked link by link (names, key identifiers and signatures) with node:crypto's X.509 support.
import { X509Certificate } from 'node:crypto';
import { certificateBlocks, messageOf } from './pem.ts';

/** Names for the inputs as the operator knows them (Secret keys, file names), used in every error. */
export interface PemLabels {
  cert: string;
  key: string;
  chain: string;
  root: string;
}

export interface CertificatePath {
  /** Certificates above the signing one, bottom-up, the root excluded. */
  intermediates: X509Certificate[];
  /** The root the path ends in. */
  root: X509Certificate;
}

/** Every certificate in a PEM bundle, parsed; throws naming `label` when one does not parse. */
export function parseCertificates(text: string, label: string): X509Certificate[] {
  return certificateBlocks(text).map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (e) {
      throw new Error(`${label}: certificate #${String(i + 1)} does not parse: ${messageOf(e)}`, { cause: e });
    }
  });
}

const signedBy = (child: X509Certificate, parent: X509Certificate) =>
  child.checkIssued(parent) && child.verify(parent.publicKey);

const describe = (c: X509Certificate) => `subject "${c.subject.replace(/\n/g, ', ')}"`;

/**
 * Walks from `signing` through `pool` to one of `roots`. The pool may also hold the signing certificate itself
 * and the root (istiod's cert-chain.pem usually does); those are skipped.
 */
export function certificatePath(
  signing: X509Certificate,
  pool: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  labels: PemLabels,
): CertificatePath {
  if (roots.length === 0) throw new Error(`${labels.root} holds no PEM certificate; put the root CA certificate there`);
  const isRoot = (c: X509Certificate) => roots.some((r) => r.raw.equals(c.raw));
  const candidates = pool.filter((c) => !c.raw.equals(signing.raw) && !isRoot(c));
  const intermediates: X509Certificate[] = [];
  let current = signing;
  for (;;) {
    const root = isRoot(current) ? current : roots.find((r) => signedBy(current, r));
    if (root) {
      if (!root.ca) throw new Error(`${labels.root}: the root (${describe(root)}) is not a CA certificate`);
      return { intermediates, root };
    }
    const parent = candidates.find((c) => !intermediates.includes(c) && signedBy(current, c));
    if (!parent) {
      const what = current === signing ? `the certificate in ${labels.cert}` : 'the intermediate';
      throw new Error(
        `${what} (${describe(current)}, issuer "${current.issuer.replace(/\n/g, ', ')}") does not chain up to ` +
          `${labels.root}: no certificate in ${labels.root} or ${labels.chain} signed it; ${labels.chain} must ` +
          `hold the intermediates between ${labels.cert} and the root, and ${labels.root} the root that issued them`,
      );
    }
    if (!parent.ca) throw new Error(`${labels.chain}: the intermediate (${describe(parent)}) is not a CA certificate`);
    intermediates.push(parent);
    current = parent;
  }
}
