import { describe, expect, test } from '@jest/globals';
import type { Values } from '../../api/values.ts';
import { computeCniValues, computeRevisionValues, computeZTunnelValues } from './compute.ts';
import { dependsOnCni, isAmbient } from './predicates.ts';
import { UnsupportedProfileError } from './profiles.ts';

const revision = (over: Partial<Parameters<typeof computeRevisionValues>[0]> = {}) =>
  computeRevisionValues({
    istioName: 'default',
    revisionName: 'default',
    namespace: 'istio-system',
    platform: 'kubernetes',
    ...over,
  });

describe('computeRevisionValues', () => {
  test('profiles, then user values, then the operator overrides', () => {
    expect(
      revision({
        profile: 'ambient',
        userValues: { pilot: { trustedZtunnelNamespace: 'ztunnel' }, global: { hub: 'quay.io/mirror' } },
      }),
    ).toEqual({
      profile: 'ambient',
      global: { istioNamespace: 'istio-system', configValidation: true, hub: 'quay.io/mirror' },
      pilot: { trustedZtunnelNamespace: 'ztunnel' },
      revision: '',
    });
  });

  test('the revision is empty for default, else the revision name; the namespace and defaultRevision are forced', () => {
    const values = revision({
      revisionName: 'canary',
      namespace: 'mesh-system',
      userValues: { revision: 'other', defaultRevision: 'canary', global: { istioNamespace: 'elsewhere' } },
    });
    expect(values.revision).toBe('canary');
    expect(values.global?.istioNamespace).toBe('mesh-system');
    expect(values).not.toHaveProperty('defaultRevision');
    expect(revision({ userValues: { revision: 'other' } }).revision).toBe('');
  });

  test('values.profile written by the user stands, also without spec.profile', () => {
    expect(revision({ userValues: { profile: 'ambient' } }).profile).toBe('ambient');
    expect(revision({ profile: 'demo', userValues: { profile: 'ambient' } }).profile).toBe('ambient');
  });

  test('OpenShift: the platform is recorded unless the user chose one', () => {
    expect(revision({ platform: 'openshift' }).global?.platform).toBe('openshift');
    expect(revision({ platform: 'openshift', profile: 'ambient' }).global?.platform).toBe('openshift');
    expect(revision({ platform: 'openshift', userValues: { global: { platform: 'gke' } } }).global?.platform).toBe(
      'gke',
    );
    expect(revision().global).not.toHaveProperty('platform');
  });

  test('external, in spec.profile or in the values, is an UnsupportedProfileError naming the Istio', () => {
    expect(() => revision({ profile: 'external' })).toThrow(UnsupportedProfileError);
    expect(() => revision({ profile: 'external' })).toThrow(/^Istio default: spec.profile: profile "external"/);
    expect(() => revision({ userValues: { profile: 'external' } })).toThrow(
      /^Istio default: spec.values.profile: profile "external" is not supported by Ambit/,
    );
  });

  test("the user's values are not changed", () => {
    const userValues: Values = { pilot: { env: { A: '1' } }, defaultRevision: 'x' };
    const before = JSON.stringify(userValues);
    revision({ userValues });
    expect(JSON.stringify(userValues)).toBe(before);
  });
});

describe('computeCniValues', () => {
  test('the ambient profile and the user values; the platform when not plain Kubernetes', () => {
    const values = computeCniValues({
      profile: 'ambient',
      userValues: { cni: { ambient: { dnsCapture: false } } },
      platform: 'openshift',
    });
    expect(values).toMatchObject({
      profile: 'ambient',
      global: { platform: 'openshift' },
      cni: { ambient: { dnsCapture: false } },
    });
  });

  test('external is refused', () => {
    expect(() => computeCniValues({ profile: 'external', platform: 'kubernetes' })).toThrow(UnsupportedProfileError);
  });
});

describe('computeZTunnelValues', () => {
  const revisionValues = revision({
    revisionName: 'canary',
    profile: 'ambient',
    userValues: {
      global: { hub: 'quay.io/mirror', logAsJson: true, network: 'network-a' },
      meshConfig: { trustDomain: 'td' },
    },
  });

  test('always the ambient profile; without a target, nothing inherited', () => {
    expect(computeZTunnelValues({ platform: 'kubernetes' })).toEqual({
      profile: 'ambient',
      global: { istioNamespace: 'istio-system', configValidation: true },
    });
  });

  test('global, meshConfig and revision come from the target revision, nothing else', () => {
    const values = computeZTunnelValues({ platform: 'kubernetes', revisionValues });
    expect(values).toEqual({
      profile: 'ambient',
      global: {
        istioNamespace: 'istio-system',
        configValidation: true,
        hub: 'quay.io/mirror',
        logAsJson: true,
        network: 'network-a',
      },
      meshConfig: { trustDomain: 'td' },
      revision: 'canary',
    });
  });

  test("the ZTunnel's global wins over the inherited one, and its ztunnel.* settings are lifted to the top", () => {
    const values = computeZTunnelValues({
      platform: 'kubernetes',
      revisionValues,
      userValues: {
        global: { logAsJson: false },
        ztunnel: { network: 'network-b', env: { X: 'y' }, revision: 'stable' },
      },
    });
    expect(values.global).toMatchObject({ hub: 'quay.io/mirror', logAsJson: false, network: 'network-a' });
    expect(values).toMatchObject({ network: 'network-b', env: { X: 'y' }, revision: 'stable' });
    expect(values).not.toHaveProperty('ztunnel');
  });

  test('removing the override brings the inherited value back', () => {
    const withOverride = computeZTunnelValues({
      platform: 'kubernetes',
      revisionValues,
      userValues: { global: { hub: 'mine' } },
    });
    const without = computeZTunnelValues({ platform: 'kubernetes', revisionValues, userValues: {} });
    expect(withOverride.global?.hub).toBe('mine');
    expect(without.global?.hub).toBe('quay.io/mirror');
  });
});

describe('predicates', () => {
  test('isAmbient: the ambient profile or PILOT_ENABLE_AMBIENT', () => {
    expect(isAmbient({ profile: 'ambient' })).toBe(true);
    expect(isAmbient({ pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } } })).toBe(true);
    expect(isAmbient({ pilot: { env: { PILOT_ENABLE_AMBIENT: 'false' } } })).toBe(false);
    expect(isAmbient({ profile: 'demo' })).toBe(false);
  });

  test('dependsOnCni: on OpenShift unless disabled, elsewhere only when enabled', () => {
    expect(dependsOnCni({}, 'openshift')).toBe(true);
    expect(dependsOnCni({ global: { platform: 'openshift' } }, 'kubernetes')).toBe(true);
    expect(dependsOnCni({ pilot: { cni: { enabled: false } } }, 'openshift')).toBe(false);
    expect(dependsOnCni({ profile: 'ambient' }, 'kubernetes')).toBe(false);
    expect(dependsOnCni({ pilot: { cni: { enabled: true } } }, 'kubernetes')).toBe(true);
  });
});
