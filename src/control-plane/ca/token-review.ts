// Who a bearer token belongs to, as the API server says: a TokenReview for the CA's audience. Only service-account
// tokens name a workload identity; anything else is refused with the reason the caller will see.
import type { ApiClient } from '../../kube/api-client.ts';

export interface TokenIdentity {
  namespace: string;
  serviceAccount: string;
  /** The pod a bound token (a projected volume's) belongs to, as the API server vouches for it. */
  pod?: { name: string; uid: string };
}

interface TokenReviewStatus {
  authenticated?: boolean;
  error?: string;
  audiences?: string[];
  user?: { username?: string; extra?: Record<string, string[]> };
}

const serviceAccountUser = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** Reads the identity out of a TokenReview's status; throws with the reason when it does not name one. */
export function identityFromReview(status: TokenReviewStatus, audiences: string[]): TokenIdentity {
  if (!status.authenticated)
    throw new Error(`the token was not accepted by the API server: ${status.error || 'not authenticated'}`);
  if (!audiences.some((a) => status.audiences?.includes(a)))
    throw new Error(`the token is not for audience ${audiences.join(' or ')}; request one with that audience`);
  const m = serviceAccountUser.exec(status.user?.username ?? '');
  if (!m?.[1] || !m[2]) throw new Error(`the token is not a service account's (user "${status.user?.username ?? ''}")`);
  const extra = status.user?.extra ?? {};
  const podName = extra['authentication.kubernetes.io/pod-name']?.[0];
  const podUid = extra['authentication.kubernetes.io/pod-uid']?.[0];
  return {
    namespace: m[1],
    serviceAccount: m[2],
    ...(podName && podUid ? { pod: { name: podName, uid: podUid } } : {}),
  };
}

export function tokenReviewAuthenticator(api: ApiClient, audiences: string[]) {
  return async (token: string): Promise<TokenIdentity> => {
    const review = await api.request<{ status?: TokenReviewStatus }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } },
      timeoutMs: 10_000,
    });
    return identityFromReview(review.status ?? {}, audiences);
  };
}
