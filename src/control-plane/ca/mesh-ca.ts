// The control plane's CA, put together: the authority from its Secrets, the token check callers of the CA and of xDS
// pass (a TokenReview for this cluster only, kept for reuse), Istio's certificate service, and the serving
// certificate for the TLS port, renewed as it ages.
import type { Logger } from 'winston';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ApiClient } from '../../kube/api-client.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { CertificateAuthority } from '../../ca/authority.ts';
import { certificateServiceDefinition } from '../../ca/ca-proto.ts';
import { certificateService } from '../../ca/certificate-service.ts';
import type { KeyPair } from '../../xds/server/rotating-credentials.ts';
import { loadAuthority, type AuthoritySource } from './authority-store.ts';
import { servingCertificate, servingDnsNames } from './serving-certificate.ts';
import { cachedTokenReview } from './token-cache.ts';
import { tokenReviewAuthenticator, type TokenIdentity } from './token-review.ts';
import { authorizeOnNode, type PodLookup } from './node-authorizer.ts';

export interface MeshCaOptions {
  namespace: string;
  revision: string;
  clusterId: string;
  trustDomain: string;
  /** `ns/sa` of the node agents that may ask for other workloads' certificates (CA_TRUSTED_NODE_ACCOUNTS). */
  trustedNodeAccounts: string[];
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

export interface MeshCa {
  authority: CertificateAuthority;
  source: AuthoritySource;
  service: { definition: ServiceDefinition; implementation: UntypedServiceImplementation };
  /** Checks a caller's service account token (and the cluster it names); throws saying why it is refused. */
  authenticate: (token: string, clusterId: string | undefined) => Promise<TokenIdentity>;
  /** The current serving certificate for the TLS listener. */
  serving: KeyPair;
  stop: () => void;
}

export async function startMeshCa(
  api: ApiClient,
  client: KubeClient,
  pods: PodLookup,
  opts: MeshCaOptions,
  onServingRenewed: (pair: KeyPair) => void,
  log: Logger,
): Promise<MeshCa> {
  const { authority, source } = await loadAuthority(client, opts.namespace, opts.trustDomain, log);
  const review = cachedTokenReview(tokenReviewAuthenticator(api, ['istio-ca']));
  const authenticate = async (token: string, clusterId: string | undefined) => {
    if (clusterId !== undefined && clusterId !== opts.clusterId)
      throw new Error(`the caller says it is in cluster "${clusterId}"; this control plane serves "${opts.clusterId}"`);
    return review(token);
  };
  const implementation = certificateService({
    authority: () => authority,
    authenticate,
    authorizeImpersonation: (caller, wanted) => authorizeOnNode(caller, wanted, pods),
    trustDomain: opts.trustDomain,
    trustedNodeAccounts: opts.trustedNodeAccounts,
    defaultTtlSeconds: opts.defaultTtlSeconds,
    maxTtlSeconds: opts.maxTtlSeconds,
    log,
  });
  const issue = async (dnsNames: string[], ttlSeconds: number): Promise<KeyPair> => {
    const { certChainPem, keyPem } = await authority.issueServingCertificate({ dnsNames, ttlSeconds });
    return { certChain: Buffer.from(certChainPem), privateKey: Buffer.from(keyPem) };
  };
  const serving = await servingCertificate(
    issue,
    servingDnsNames(opts.namespace, opts.revision),
    onServingRenewed,
    log,
  );
  log.info('CA ready', {
    controller: 'ca',
    key: `${opts.namespace}/${source === 'cacerts' ? 'cacerts' : 'istio-ca-secret'}`,
    source,
    notAfter: authority.notAfter.toISOString(),
  });
  return {
    authority,
    source,
    service: { definition: certificateServiceDefinition(), implementation },
    authenticate,
    serving: serving.pair,
    stop: serving.stop,
  };
}
