// The CA in Kubernetes Secrets, in the layouts istiod uses, so an existing installation's CA carries over:
// - `istio-ca-secret` (type istio.io/ca-root), the self-signed root istiod creates and keeps: istiod reads only
//   ca-cert.pem and ca-key.pem (the root is ca-cert.pem itself; rotation rewrites just those two) and writes
//   root-cert.pem = ca-cert.pem, with cert-chain.pem and key.pem present but empty.
// - `cacerts`, an operator's plugged CA: ca-cert.pem (signing cert), ca-key.pem, root-cert.pem and
//   cert-chain.pem, all four required once any is present; or the kubernetes.io/tls form tls.crt, tls.key and
//   ca.crt (root), where istiod takes the chain to be tls.crt followed by ca.crt.
// Values are base64, as in a Secret's `data`.
import { authorityFromPem, type CertificateAuthority } from './authority.ts';
import type { PemLabels } from './chain.ts';
import { messageOf } from './pem.ts';

export const istioCaSecretName = 'istio-ca-secret';
export const pluggedCaSecretName = 'cacerts';
export const istioCaSecretType = 'istio.io/ca-root';

/** A Secret's `data`: key to base64 value. */
export type SecretData = Record<string, string>;

const istio: PemLabels = { cert: 'ca-cert.pem', key: 'ca-key.pem', chain: 'cert-chain.pem', root: 'root-cert.pem' };
const tls: PemLabels = { cert: 'tls.crt', key: 'tls.key', chain: 'tls.crt', root: 'ca.crt' };
const pluggedHelp = 'see https://istio.io/latest/docs/tasks/security/cert-management/plugin-ca-cert/';

const decode = (data: SecretData, key: string): string | undefined => {
  const v = data[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Runs `load`, prefixing its error with the Secret's name (the messages already name the keys). */
function fromSecret(name: string, load: () => CertificateAuthority): CertificateAuthority {
  try {
    return load();
  } catch (e) {
    throw new Error(`Secret ${name}: ${messageOf(e)}`, { cause: e });
  }
}

/** What istiod writes for its self-signed CA. In `cacerts` it also marks the Secret `istio-generated`. */
export function istioCaSecretData(ca: CertificateAuthority, name = istioCaSecretName): SecretData {
  const data: SecretData = {
    'ca-cert.pem': encode(ca.certPem),
    'ca-key.pem': encode(ca.keyPem),
    'cert-chain.pem': '',
    'key.pem': '',
    'root-cert.pem': encode(ca.rootPem),
  };
  if (name === pluggedCaSecretName) data['istio-generated'] = '';
  return data;
}

/** Reads a self-signed CA as istiod stores it: ca-cert.pem (also the root) and ca-key.pem. */
export function authorityFromIstioCaSecret(data: SecretData, name = istioCaSecretName): CertificateAuthority {
  return fromSecret(name, () => {
    const missing = ['ca-cert.pem', 'ca-key.pem'].filter((k) => decode(data, k) === undefined);
    if (missing.length > 0)
      throw new Error(
        `${missing.join(' and ')} missing; the self-signed CA needs ca-cert.pem and ca-key.pem ` +
          `(delete the Secret to have a new CA created)`,
      );
    const certPem = decode(data, 'ca-cert.pem')!;
    return authorityFromPem({ certPem, keyPem: decode(data, 'ca-key.pem')!, rootPem: certPem }, istio);
  });
}

const signingKeys = ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'];

/**
 * Reads an operator's plugged CA; undefined when the Secret holds none of its keys (istiod then runs its own
 * self-signed CA). A partial set is an error, as in istiod.
 */
export function authorityFromPluggedSecret(
  data: SecretData,
  name = pluggedCaSecretName,
): CertificateAuthority | undefined {
  if (data['tls.crt'] !== undefined)
    return fromSecret(name, () => {
      const missing = ['tls.key', 'ca.crt'].filter((k) => decode(data, k) === undefined);
      if (missing.length > 0)
        throw new Error(`${missing.join(' and ')} missing; a kubernetes.io/tls CA needs tls.crt, tls.key and ca.crt`);
      const certPem = decode(data, 'tls.crt')!;
      const rootPem = decode(data, 'ca.crt')!;
      return authorityFromPem({ certPem, keyPem: decode(data, 'tls.key')!, chainPem: certPem + rootPem, rootPem }, tls);
    });
  const present = signingKeys.filter((k) => decode(data, k) !== undefined);
  if (present.length === 0) return undefined;
  return fromSecret(name, () => {
    const missing = signingKeys.filter((k) => !present.includes(k));
    if (missing.length > 0)
      throw new Error(
        `incomplete plugged CA: ${missing.join(', ')} missing; it needs ca-cert.pem (the intermediate CA), ` +
          `ca-key.pem (its key), root-cert.pem (the root) and cert-chain.pem (ca-cert.pem, any further ` +
          `intermediates, then the root); ${pluggedHelp}`,
      );
    return authorityFromPem(
      {
        certPem: decode(data, 'ca-cert.pem')!,
        keyPem: decode(data, 'ca-key.pem')!,
        chainPem: decode(data, 'cert-chain.pem')!,
        rootPem: decode(data, 'root-cert.pem')!,
      },
      istio,
    );
  });
}
