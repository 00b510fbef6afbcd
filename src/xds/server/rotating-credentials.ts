// TLS server credentials whose certificate can be replaced while the server runs: grpc-js re-reads a credential's
// secure context when it changes, so a renewed serving certificate needs no rebind and drops no stream.
import { ServerCredentials } from '@grpc/grpc-js';
import type { SecureContextOptions } from 'node:tls';

export interface KeyPair {
  certChain: Buffer;
  privateKey: Buffer;
}

export class RotatingServerCredentials extends ServerCredentials {
  private readonly clientRoots: string | undefined;

  /**
   * With `clientRoots`, clients are asked for a certificate and one that chains to them identifies the caller; one
   * without (or with another) still connects, to authenticate with its token instead.
   */
  constructor(pair: KeyPair, clientRoots?: string) {
    super(
      clientRoots ? { requestCert: true, rejectUnauthorized: false } : { requestCert: false },
      RotatingServerCredentials.context(pair, clientRoots),
    );
    this.clientRoots = clientRoots;
  }

  private static context(pair: KeyPair, clientRoots: string | undefined): SecureContextOptions {
    return { cert: pair.certChain, key: pair.privateKey, ...(clientRoots ? { ca: clientRoots } : {}) };
  }

  rotate(pair: KeyPair): void {
    this.updateSecureContextOptions(RotatingServerCredentials.context(pair, this.clientRoots));
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}
