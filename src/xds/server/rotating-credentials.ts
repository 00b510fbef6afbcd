// TLS server credentials whose certificate can be replaced while the server runs: grpc-js re-reads a credential's
// secure context when it changes, so a renewed serving certificate needs no rebind and drops no stream.
import { ServerCredentials } from '@grpc/grpc-js';
import type { SecureContextOptions } from 'node:tls';

export interface KeyPair {
  certChain: Buffer;
  privateKey: Buffer;
}

const context = (pair: KeyPair): SecureContextOptions => ({ cert: pair.certChain, key: pair.privateKey });

export class RotatingServerCredentials extends ServerCredentials {
  constructor(pair: KeyPair) {
    // Clients are not asked for a certificate: callers of xDS and the CA authenticate with their token.
    super({ requestCert: false }, context(pair));
  }

  rotate(pair: KeyPair): void {
    this.updateSecureContextOptions(context(pair));
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}
