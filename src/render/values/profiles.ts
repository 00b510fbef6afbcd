// Sail's profiles: what each `spec.profile` puts into the values below the user's own, and Sail's rule for which
// profiles apply. A profile here mostly names a chart-level profile (values.profile) or platform
// (values.global.platform); the settings those stand for are in chart-profiles.ts, applied by the renderers as
// Istio's charts apply them. So an IstioRevision's values read like Sail's, and a hand-written one renders the same.
import { profiles } from '../../api/sailoperator/common.ts';
import type { Values } from '../../api/values.ts';
import { deepMerge } from './merge.ts';
import type { Platform } from './types.ts';

export type ProfileName = (typeof profiles)[number];

/** Profiles of the API that Ambit cannot install, with the reason users are told. */
const unsupportedProfiles: ReadonlyMap<string, string> = new Map([
  ['external', 'Ambit has no external control plane'],
  ['remote', 'Ambit installs no remote (config-cluster) control plane'],
]);

/** Profile names Ambit installs, as users may write them in spec.profile. */
export const supportedProfiles = profiles.filter((p) => !unsupportedProfiles.has(p));

/**
 * Values that name a profile or platform Ambit cannot install. Bad input, so retrying cannot help: the controller
 * reports it in the object's status (reason `reason`) until the object changes.
 */
export class UnsupportedProfileError extends Error {
  readonly reason = 'UnsupportedProfile';
  /** The field that named it, e.g. spec.profile or spec.values.profile. */
  readonly field: string;
  readonly profile: string;

  constructor(field: string, profile: string, known: readonly string[], noun: 'profile' | 'platform' = 'profile') {
    const why = unsupportedProfiles.get(profile);
    const reason = why ? ` (${why})` : '';
    super(`${field}: ${noun} "${profile}" is not supported by Ambit${reason}; use one of: ${known.join(', ')}`);
    this.name = 'UnsupportedProfileError';
    this.field = field;
    this.profile = profile;
  }
}

type SupportedProfile = Exclude<ProfileName, 'external' | 'remote'>;

// `default` also sets defaultRevision: "" and ztunnel.resourceName in Sail's file; the operator clears the former and
// drops the latter (not a field of Values), so neither ever reaches an object.
const sailProfiles: Record<SupportedProfile, Values> = {
  default: { global: { istioNamespace: 'istio-system', configValidation: true } },
  ambient: { profile: 'ambient' },
  demo: { profile: 'demo' },
  empty: {},
  openshift: { global: { platform: 'openshift' } },
  'openshift-ambient': { profile: 'ambient', global: { platform: 'openshift' } },
  preview: { profile: 'preview' },
  stable: { profile: 'stable' },
};

function isSupported(name: string): name is SupportedProfile {
  return Object.hasOwn(sailProfiles, name);
}

/**
 * The profiles that apply, in order: `default`, then the user's profile, or the platform's default profile when the
 * user chose none (or `default`). OpenShift's default profile is `openshift`.
 */
export function profileNames(userProfile: string | undefined, platform: Platform): SupportedProfile[] {
  const platformDefault: SupportedProfile = platform === 'openshift' ? 'openshift' : 'default';
  const chosen = userProfile && userProfile !== 'default' ? userProfile : platformDefault;
  if (!isSupported(chosen)) throw new UnsupportedProfileError('spec.profile', chosen, supportedProfiles);
  return chosen === 'default' ? ['default'] : ['default', chosen];
}

/** The merged values of the profiles that apply (see profileNames). */
export function profileValues(userProfile: string | undefined, platform: Platform): Values {
  return deepMerge(...profileNames(userProfile, platform).map((name) => sailProfiles[name]));
}
