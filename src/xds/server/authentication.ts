// Who is on the other end of an xDS stream, proven as istiod requires it: a client certificate the mesh CA issued
// (its SPIFFE ids) or a service-account token (`authorization: Bearer`, checked by the API server for audience
// istio-ca). The node the stream then names must belong to that identity: its namespace, and its service account
// when its metadata says one. Refusals are gRPC statuses whose message says which check failed and what to send.
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { bearerTokenOf, clusterIdOf } from '../../ca/call-metadata.ts';
import { parseSpiffeId } from '../../ca/spiffe.ts';
import type { Proxy } from './proxy.ts';

export interface Identity {
  namespace: string;
  serviceAccount: string;
}

/** A stream's caller: proven identities (a certificate may carry several), or anonymous where that is allowed. */
export type Caller = { via: 'token' | 'certificate'; identities: Identity[] } | { via: 'anonymous' };

/** Decides who calls on a stream accepted by a listener with or without TLS; rejects with an `AuthError`. */
export type Authenticate = (call: ServerDuplexStream<unknown, unknown>, listener: { tls: boolean }) => Promise<Caller>;

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: status;

  constructor(code: status.UNAUTHENTICATED | status.PERMISSION_DENIED, message: string) {
    super(message);
    this.code = code;
  }
}

export interface XdsAuthOptions {
  /** Checks a service account token (and the cluster the caller names, if any); throws saying why it is refused. */
  reviewToken: (token: string, clusterId: string | undefined) => Promise<Identity>;
  /** Whether callers must authenticate at all (istiod's XDS_AUTH; false only for debugging). */
  enabled: boolean;
  /** Whether callers on a listener without TLS must authenticate too (istiod's XDS_AUTH_PLAINTEXT). */
  plaintext: boolean;
}

const how =
  'send "authorization: Bearer <service account token for audience istio-ca>" or, over TLS, a client certificate ' +
  "from the mesh's CA";

/** The SPIFFE ids in a verified peer certificate's URI SANs. */
export function certificateIdentities(cert: PeerCertificate | undefined): Identity[] {
  const sans = (cert?.subjectaltname ?? '').split(', ');
  return sans.flatMap((san) => {
    const id = san.startsWith('URI:') ? parseSpiffeId(san.slice('URI:'.length)) : undefined;
    return id ? [{ namespace: id.namespace, serviceAccount: id.serviceAccount }] : [];
  });
}

export function xdsAuthenticator(opts: XdsAuthOptions): Authenticate {
  return async (call, listener) => {
    if (!opts.enabled || (!listener.tls && !opts.plaintext)) return { via: 'anonymous' };
    // grpc-js shows the peer certificate only when it chains to the roots the TLS listener trusts (the mesh's).
    const fromCertificate = certificateIdentities(call.getAuthContext().sslPeerCertificate);
    if (fromCertificate.length > 0) return { via: 'certificate', identities: fromCertificate };
    const token = bearerTokenOf(call.metadata);
    if (token === undefined)
      throw new AuthError(status.UNAUTHENTICATED, `xDS callers must prove who they are: no credentials sent; ${how}`);
    try {
      return { via: 'token', identities: [await opts.reviewToken(token, clusterIdOf(call.metadata))] };
    } catch (e) {
      throw new AuthError(status.UNAUTHENTICATED, `token refused: ${(e as Error).message}`);
    }
  };
}

const show = (i: Identity) => `${i.namespace}/${i.serviceAccount}`;

/**
 * The identity the node belongs to: its namespace must be the caller's, and its service account too when the node's
 * metadata names one (istiod's check). Throws a PERMISSION_DENIED `AuthError` naming both sides otherwise.
 */
export function authorizeNode(proxy: Proxy, caller: Caller): Identity | undefined {
  if (caller.via === 'anonymous') return undefined;
  const said = (key: string) => (typeof proxy.metadata[key] === 'string' ? proxy.metadata[key] : '');
  const account = said('SERVICE_ACCOUNT');
  // The metadata's NAMESPACE, when sent, must agree with the node id's: either could be what a generator reads.
  const namespaces = new Set([proxy.namespace, said('NAMESPACE') || proxy.namespace]);
  const match = caller.identities.find(
    (i) => namespaces.size === 1 && namespaces.has(i.namespace) && (account === '' || i.serviceAccount === account),
  );
  if (match) return match;
  const claimed = `${[...namespaces].join(' and ')}${account === '' ? '' : `/${account}`}`;
  throw new AuthError(
    status.PERMISSION_DENIED,
    `node "${proxy.id}" is of ${claimed}, but the caller is ${caller.identities.map(show).join(', ')} ` +
      `(by its ${caller.via}): a proxy may only ask for configuration of its own namespace and service account`,
  );
}
