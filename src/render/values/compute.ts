// Sail's values pipelines: what the operator computes from an Istio, IstioCNI or ZTunnel before rendering. Each is
// Sail's profiles, then the user's values, then what the operator itself decides; the chart-level settings the result
// names (values.profile, values.global.platform) are applied by the renderers (chart-values.ts).
import type { CNIValues, Values, ZTunnelValues } from '../../api/values.ts';
import { chartLayers } from './chart-profiles.ts';
import { deepMerge } from './merge.ts';
import { profileValues, UnsupportedProfileError } from './profiles.ts';
import type { CniChartValues, Platform, ZTunnelChartValues } from './types.ts';

/** Sail records the platform in the values when it is not plain Kubernetes, unless the user chose one. */
function platformLayer(platform: Platform): Values | undefined {
  return platform === 'kubernetes' ? undefined : { global: { platform } };
}

/** Fails now, with the object's own field, rather than later in a renderer. */
function checkChartLayers(values: { profile?: string; global?: { platform?: string } }): void {
  chartLayers(values.profile, values.global?.platform);
}

export interface RevisionValuesInput {
  /** The Istio's name, for messages. */
  istioName: string;
  /** The IstioRevision's name: the Istio's name (InPlace) or its name and version (RevisionBased). */
  revisionName: string;
  /** The Istio's spec.namespace. */
  namespace: string;
  /** The Istio's spec.profile. */
  profile?: string | undefined;
  /** The Istio's spec.values. */
  userValues?: Values | undefined;
  platform: Platform;
}

/**
 * The values an IstioRevision's spec carries: Sail's profiles ← the platform ← the user's values ← the operator's
 * overrides (revision "" for `default`, else the revision's name; global.istioNamespace = the namespace;
 * defaultRevision cleared). values.profile stays, so readers can tell an ambient revision. Throws
 * UnsupportedProfileError, its message naming the Istio, for a profile or platform Ambit cannot install.
 */
export function computeRevisionValues(input: RevisionValuesInput): Values {
  try {
    return revisionValues(input);
  } catch (e) {
    if (e instanceof UnsupportedProfileError) e.message = `Istio ${input.istioName}: ${e.message}`;
    throw e;
  }
}

function revisionValues(input: RevisionValuesInput): Values {
  const overrides: Values = {
    revision: input.revisionName === 'default' ? '' : input.revisionName,
    global: { istioNamespace: input.namespace },
  };
  const values = deepMerge(
    profileValues(input.profile, input.platform),
    platformLayer(input.platform),
    input.userValues,
    overrides,
  );
  // Sail clears it: a revision never claims the default-revision webhooks through its values (sail-operator #1891).
  Reflect.deleteProperty(values, 'defaultRevision');
  checkChartLayers(values);
  return values;
}

export interface CniValuesInput {
  /** The IstioCNI's spec.profile; `ambient` is what turns on ambient redirection. */
  profile?: string | undefined;
  /** The IstioCNI's spec.values. */
  userValues?: CNIValues | undefined;
  platform: Platform;
}

/** The values the CNI renderer takes: Sail's profiles ← the platform ← the user's values. */
export function computeCniValues(input: CniValuesInput): CniChartValues {
  const values = deepMerge<CniChartValues>(
    profileValues(input.profile, input.platform),
    platformLayer(input.platform),
    input.userValues,
  );
  checkChartLayers(values);
  return values;
}

export interface ZTunnelValuesInput {
  /** The ZTunnel's spec.values. */
  userValues?: ZTunnelValues | undefined;
  platform: Platform;
  /** The spec.values of the IstioRevision the ZTunnel's targetRef resolves to, when it has one. */
  revisionValues?: Values | undefined;
}

/**
 * The values the ztunnel renderer takes: the ambient profile (always: ztunnel exists only for ambient) ← the
 * platform ← global, meshConfig and revision inherited from the target revision ← the ZTunnel's own global ← its
 * `ztunnel.*` settings, lifted to the top level where the ztunnel chart reads them.
 */
export function computeZTunnelValues(input: ZTunnelValuesInput): ZTunnelChartValues {
  const inherited: ZTunnelChartValues | undefined = input.revisionValues && {
    global: input.revisionValues.global,
    meshConfig: input.revisionValues.meshConfig,
    revision: input.revisionValues.revision,
  };
  const { ztunnel, ...rest } = input.userValues ?? {};
  const values = deepMerge<ZTunnelChartValues>(
    profileValues('ambient', input.platform),
    platformLayer(input.platform),
    inherited,
    rest,
    ztunnel,
  );
  checkChartLayers(values);
  return values;
}
