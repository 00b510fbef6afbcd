// Private keys as the CA needs them: any PEM form an operator may hand us (PKCS#8, SEC1 "EC PRIVATE KEY",
// PKCS#1 "RSA PRIVATE KEY"), normalised to PKCS#8 and imported into WebCrypto with the matching signature scheme.
import { createPrivateKey, type KeyObject, type webcrypto } from 'node:crypto';
import { messageOf } from './pem.ts';

export interface SigningKey {
  key: webcrypto.CryptoKey;
  /** Node's view of the same key, for checking it against a certificate. */
  keyObject: KeyObject;
  /** PKCS#8 PEM, the form we store. */
  pkcs8Pem: string;
  /** The `signingAlgorithm` for @peculiar/x509 (ECDSA needs the hash named; RSA has it in the key). */
  algorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

const curves: Record<string, { namedCurve: string; hash: string }> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
  secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
};

/** Reads a PEM private key; `label` names where it came from in errors. */
export function importSigningKey(pem: string, label: string): SigningKey {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    const hint = /passphrase/i.test(messageOf(e))
      ? 'it is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)'
      : 'expected a PEM "PRIVATE KEY" (PKCS#8), "EC PRIVATE KEY" or "RSA PRIVATE KEY" block';
    throw new Error(`${label} is not a usable private key: ${hint} (${messageOf(e)})`, { cause: e });
  }
  const pkcs8Pem = keyObject.export({ type: 'pkcs8', format: 'pem' }) as string;
  const type = keyObject.asymmetricKeyType;
  if (type === 'rsa') {
    const algorithm: webcrypto.RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: keyObject.toCryptoKey(algorithm, false, ['sign']), keyObject, pkcs8Pem, algorithm };
  }
  if (type === 'ec') {
    const curveName = keyObject.asymmetricKeyDetails?.namedCurve ?? '';
    const curve = curves[curveName];
    if (!curve) throw new Error(`${label}: EC curve ${curveName} is not supported; use P-256, P-384 or P-521`);
    const key = keyObject.toCryptoKey({ name: 'ECDSA', namedCurve: curve.namedCurve }, false, ['sign']);
    return { key, keyObject, pkcs8Pem, algorithm: { name: 'ECDSA', hash: curve.hash } };
  }
  throw new Error(`${label}: ${type ?? 'unknown'} keys are not supported; use an RSA or ECDSA key`);
}

/** A fresh extractable ECDSA P-256 key pair (serving certificates, self-signed roots). */
export async function generateEcKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
}

/** The private half of a generated pair as PKCS#8 PEM. */
export async function exportPkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}
