import { describe, expect, test } from '@jest/globals';
import { identityFromReview } from './token-review.ts';
import { servingDnsNames } from './serving-certificate.ts';

const user = (username: string) => ({ authenticated: true, audiences: ['istio-ca'], user: { username } });

describe('identityFromReview', () => {
  test("a service account token names the account's namespace and name", () => {
    expect(identityFromReview(user('system:serviceaccount:app:sleep'), ['istio-ca'])).toEqual({
      namespace: 'app',
      serviceAccount: 'sleep',
    });
  });
  test("a token bound to a pod names the pod, as the API server's extra info says", () => {
    const bound = {
      ...user('system:serviceaccount:istio-system:ztunnel'),
      user: {
        username: 'system:serviceaccount:istio-system:ztunnel',
        extra: {
          'authentication.kubernetes.io/pod-name': ['ztunnel-a'],
          'authentication.kubernetes.io/pod-uid': ['1234'],
        },
      },
    };
    expect(identityFromReview(bound, ['istio-ca']).pod).toEqual({ name: 'ztunnel-a', uid: '1234' });
  });

  test("the API server's reason is passed on", () => {
    expect(() => identityFromReview({ authenticated: false, error: 'token has expired' }, ['istio-ca'])).toThrow(
      /not accepted by the API server: token has expired/,
    );
  });
  test('a token for another audience is refused, saying which one to ask for', () => {
    expect(() =>
      identityFromReview({ ...user('system:serviceaccount:a:b'), audiences: ['api'] }, ['istio-ca']),
    ).toThrow(/not for audience istio-ca/);
  });
  test("a user's token is not a workload identity", () => {
    expect(() => identityFromReview(user('alice'), ['istio-ca'])).toThrow(/not a service account's \(user "alice"\)/);
  });
});

describe('servingDnsNames', () => {
  test('the default revision is istiod, others istiod-<rev>', () => {
    expect(servingDnsNames('istio-system', 'default')).toEqual(['istiod.istio-system.svc']);
    expect(servingDnsNames('istio-system', 'canary')).toEqual(['istiod-canary.istio-system.svc']);
  });
});
