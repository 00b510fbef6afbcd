// The CA's gRPC endpoint, as istiod serves it to pilot-agent and ztunnel: authenticate the caller's Kubernetes
// token, decide the identity (the caller's own, or the one a trusted node agent asks for on a workload's behalf),
// and sign the CSR's key for it. Refusals carry a reason the client can act on; counters use istiod's names.
import { status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { Counter } from 'prom-client';
import type { Logger } from 'winston';
import { metricsRegistry } from '../kube/metrics.ts';
import { CsrError, type CertificateAuthority } from './authority.ts';
import type { IstioCertificateRequest, IstioCertificateResponse } from './ca-proto.ts';
import { bearerTokenOf, clusterIdOf } from './call-metadata.ts';
import { messageOf } from './pem.ts';
import { parseSpiffeId, spiffeId } from './spiffe.ts';

const csrs = new Counter({
  name: 'citadel_server_csr_count',
  help: 'Certificate signing requests received.',
  registers: [metricsRegistry],
});
const issued = new Counter({
  name: 'citadel_server_success_cert_issuance_count',
  help: 'Certificates issued.',
  registers: [metricsRegistry],
});
const authnFailures = new Counter({
  name: 'citadel_server_authentication_failure_count',
  help: 'Requests refused because the caller was not authenticated or not allowed the identity it asked for.',
  registers: [metricsRegistry],
});
const signErrors = new Counter({
  name: 'citadel_server_csr_sign_err_count',
  help: 'Requests that failed while signing, by error type.',
  labelNames: ['error'],
  registers: [metricsRegistry],
});

/** The request-metadata key ztunnel sets to ask for a workload's certificate rather than its own. */
export const impersonatedIdentityKey = 'ImpersonatedIdentity';

/** Who the token belongs to: a service account, and the pod when the token is bound to one. */
export interface Caller {
  namespace: string;
  serviceAccount: string;
  pod?: { name: string; uid: string };
}

export interface CertificateServiceOptions {
  /** The current CA, read per request so that a rotated CA takes effect at once. */
  authority: () => CertificateAuthority;
  /** Checks a service account token; throws an Error saying why when it is refused. */
  authenticate: (token: string, clusterId: string | undefined) => Promise<Caller>;
  /**
   * For a trusted node account asking for `wanted`: throws with the reason when it may not have it (istiod: only
   * identities of pods on the caller's node).
   */
  authorizeImpersonation: (caller: Caller, wanted: { namespace: string; serviceAccount: string }) => void;
  trustDomain: string;
  /** "namespace/serviceaccount" of node agents (ztunnel) that may request other identities (CA_TRUSTED_NODE_ACCOUNTS). */
  trustedNodeAccounts: string[];
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  log: Logger;
}

/** A refusal with its gRPC status; `metric` says which counter it counts in, `caller` who asked (when known). */
class Refusal extends Error {
  readonly code: status;
  readonly metric: 'authn' | 'sign';
  readonly caller: string | undefined;

  constructor(code: status, metric: 'authn' | 'sign', message: string, caller?: string) {
    super(message);
    this.code = code;
    this.metric = metric;
    this.caller = caller;
  }
}

function bearerToken(call: ServerUnaryCall<unknown, unknown>): string {
  const token = bearerTokenOf(call.metadata);
  if (token !== undefined) return token;
  throw new Refusal(
    status.UNAUTHENTICATED,
    'authn',
    'no bearer token in the authorization metadata; send "authorization: Bearer <service account token>"',
  );
}

/** An empty cluster header names no cluster. */
function clusterId(call: ServerUnaryCall<unknown, unknown>): string | undefined {
  return clusterIdOf(call.metadata) || undefined;
}

export function certificateService(opts: CertificateServiceOptions): UntypedServiceImplementation {
  const log = opts.log.child({ controller: 'ca' });
  const trusted = new Set(opts.trustedNodeAccounts);

  const identityFor = async (call: ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>) => {
    const token = bearerToken(call);
    let caller: Caller;
    try {
      caller = await opts.authenticate(token, clusterId(call));
    } catch (e) {
      throw new Refusal(status.UNAUTHENTICATED, 'authn', `token refused: ${messageOf(e)}`);
    }
    const own = spiffeId(opts.trustDomain, caller.namespace, caller.serviceAccount);
    const wanted = call.request.metadata?.fields?.[impersonatedIdentityKey]?.stringValue ?? '';
    if (wanted === '' || wanted === own) return { identity: own, caller: own };
    const account = `${caller.namespace}/${caller.serviceAccount}`;
    if (!trusted.has(account))
      throw new Refusal(
        status.PERMISSION_DENIED,
        'authn',
        `${account} may not request a certificate for ${wanted}: only the node accounts in ` +
          `CA_TRUSTED_NODE_ACCOUNTS (${[...trusted].join(', ') || 'none'}) may impersonate`,
        own,
      );
    const parsed = parseSpiffeId(wanted);
    if (parsed?.trustDomain !== opts.trustDomain)
      throw new Refusal(
        status.INVALID_ARGUMENT,
        'authn',
        `${impersonatedIdentityKey} ${JSON.stringify(wanted)} is not a SPIFFE id of trust domain ` +
          `${opts.trustDomain} (spiffe://${opts.trustDomain}/ns/<namespace>/sa/<service account>)`,
        own,
      );
    try {
      opts.authorizeImpersonation(caller, parsed);
    } catch (e) {
      throw new Refusal(status.PERMISSION_DENIED, 'authn', `${account} may not have ${wanted}: ${messageOf(e)}`, own);
    }
    return { identity: wanted, caller: own };
  };

  const ttlFor = (requested: number) => {
    if (!Number.isFinite(requested) || requested <= 0) return opts.defaultTtlSeconds;
    return Math.min(requested, opts.maxTtlSeconds);
  };

  const sign = async (
    call: ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>,
    identity: string,
    ttlSeconds: number,
  ) => {
    let ca: CertificateAuthority;
    try {
      ca = opts.authority();
    } catch (e) {
      throw new Refusal(status.UNAVAILABLE, 'sign', `the CA is not ready: ${messageOf(e)}`);
    }
    try {
      return await ca.signCsr(call.request.csr ?? '', { identities: [identity], ttlSeconds });
    } catch (e) {
      if (e instanceof CsrError) throw new Refusal(status.INVALID_ARGUMENT, 'sign', messageOf(e));
      throw new Refusal(status.INTERNAL, 'sign', `signing failed: ${messageOf(e)}`);
    }
  };

  const createCertificate = async (
    call: ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>,
  ): Promise<IstioCertificateResponse> => {
    csrs.inc();
    const client = call.getPeer();
    let key: string | undefined;
    try {
      const { identity, caller } = await identityFor(call);
      key = identity;
      const requested = call.request.validityDuration ?? 0;
      const ttlSeconds = ttlFor(requested);
      const certChain = await sign(call, identity, ttlSeconds);
      issued.inc();
      log.debug('certificate issued', { key, caller, client, ttlSeconds, requestedTtlSeconds: requested });
      return { certChain };
    } catch (e) {
      const refusal =
        e instanceof Refusal ? e : new Refusal(status.INTERNAL, 'sign', `unexpected error: ${messageOf(e)}`);
      if (refusal.metric === 'authn') authnFailures.inc();
      else signErrors.inc({ error: signErrorType(refusal.code) });
      log.warn('certificate request refused', {
        key: key ?? refusal.caller,
        client,
        code: status[refusal.code],
        error: refusal.message,
      });
      throw refusal;
    }
  };

  return {
    CreateCertificate: (
      call: ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>,
      callback: sendUnaryData<IstioCertificateResponse>,
    ) => {
      createCertificate(call).then(
        (response) => callback(null, response),
        (e: unknown) => {
          const r = e as Refusal;
          callback({ code: r.code, details: r.message });
        },
      );
    },
  };
}

/** istiod's error labels for the sign error counter. */
function signErrorType(code: status): string {
  if (code === status.INVALID_ARGUMENT) return 'CSR_ERROR';
  if (code === status.UNAVAILABLE) return 'CA_NOT_READY';
  return 'CERT_GEN_ERROR';
}
