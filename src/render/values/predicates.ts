// Questions the controllers ask of an IstioRevision's values, with Sail's answers.
import type { Values } from '../../api/values.ts';
import type { Platform } from './types.ts';

/** Ambient mode: the ambient profile, or ambient switched on by hand. Such a revision depends on a ZTunnel. */
export function isAmbient(values: Values): boolean {
  return values.profile === 'ambient' || values.pilot?.env?.['PILOT_ENABLE_AMBIENT'] === 'true';
}

/**
 * Whether the revision needs an IstioCNI: on OpenShift unless pilot.cni.enabled is false, elsewhere only when it is
 * true. Ambient alone does not count, as in Sail: its CNI dependency shows only once pilot.cni.enabled says so.
 */
export function dependsOnCni(values: Values, platform: Platform): boolean {
  const enabled = values.pilot?.cni?.enabled;
  const openshift = platform === 'openshift' || values.global?.platform === 'openshift';
  return openshift ? enabled !== false : enabled === true;
}
