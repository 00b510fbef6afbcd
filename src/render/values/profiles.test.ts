import { describe, expect, test } from '@jest/globals';
import { chartLayers } from './chart-profiles.ts';
import { profileNames, profileValues, UnsupportedProfileError } from './profiles.ts';

describe('Sail profiles', () => {
  test('default always comes first, then the chosen profile', () => {
    expect(profileNames(undefined, 'kubernetes')).toEqual(['default']);
    expect(profileNames('default', 'kubernetes')).toEqual(['default']);
    expect(profileNames('ambient', 'kubernetes')).toEqual(['default', 'ambient']);
  });

  test("OpenShift's default profile applies only when the user chose none", () => {
    expect(profileNames(undefined, 'openshift')).toEqual(['default', 'openshift']);
    expect(profileNames('default', 'openshift')).toEqual(['default', 'openshift']);
    expect(profileNames('ambient', 'openshift')).toEqual(['default', 'ambient']);
  });

  test('profiles set values.profile or the platform over the defaults', () => {
    expect(profileValues('openshift-ambient', 'kubernetes')).toEqual({
      profile: 'ambient',
      global: { istioNamespace: 'istio-system', configValidation: true, platform: 'openshift' },
    });
    expect(profileValues('empty', 'kubernetes')).toEqual({
      global: { istioNamespace: 'istio-system', configValidation: true },
    });
  });

  test.each(['external', 'remote', 'no-such-profile'])('spec.profile %s is refused with a typed error', (name) => {
    const error = (() => {
      try {
        profileNames(name, 'kubernetes');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnsupportedProfileError);
    expect(error).toMatchObject({ reason: 'UnsupportedProfile', field: 'spec.profile', profile: name });
    expect((error as Error).message).toMatch(new RegExp(`^spec.profile: profile "${name}" is not supported by Ambit`));
    expect((error as Error).message).toContain('use one of: ambient, default, demo, empty, openshift');
  });

  test('the external profile says why', () => {
    expect(() => profileNames('external', 'kubernetes')).toThrow(
      'spec.profile: profile "external" is not supported by Ambit (Ambit has no external control plane); use one of:',
    );
  });
});

describe('chart-level profiles', () => {
  test('ambient carries the settings that make a mesh ambient', () => {
    expect(chartLayers('ambient', undefined)).toEqual([
      {
        meshConfig: {
          defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } },
          serviceScopeConfigs: [
            {
              servicesSelector: { matchExpressions: [{ key: 'istio.io/global', operator: 'In', values: ['true'] }] },
              scope: 'GLOBAL',
            },
          ],
        },
        global: { variant: 'distroless' },
        pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } },
        cni: { ambient: { enabled: true } },
      },
    ]);
  });

  test('the platform comes after the profile; default, empty and kubernetes add nothing', () => {
    const layers = chartLayers('ambient', 'openshift');
    expect(layers).toHaveLength(2);
    expect(layers[1]?.cni).toMatchObject({ provider: 'multus', cniBinDir: '/var/lib/cni/bin', chained: false });
    expect(layers[1]?.pilot).toMatchObject({ trustedZtunnelNamespace: 'kube-system' });
    expect(chartLayers('default', 'kubernetes')).toEqual([]);
    expect(chartLayers('empty', undefined)).toEqual([]);
  });

  test('values.profile and values.global.platform must name something the charts know', () => {
    expect(() => chartLayers('external', undefined)).toThrow(UnsupportedProfileError);
    expect(() => chartLayers('external', undefined)).toThrow(/^spec.values.profile: profile "external"/);
    expect(() => chartLayers(undefined, 'mainframe')).toThrow(/^spec.values.global.platform: platform "mainframe"/);
    // Object prototype names are not profiles.
    expect(() => chartLayers('constructor', undefined)).toThrow(UnsupportedProfileError);
  });
});
