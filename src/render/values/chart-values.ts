// The values each renderer reads: the chart's defaults, then the chart-level profile and platform settings, then the
// values computed from the custom resource, in the order Istio's charts merge them.
import type { Values } from '../../api/values.ts';
import { chartLayers } from './chart-profiles.ts';
import { cniDefaults, controlPlaneDefaults, ztunnelDefaults } from './chart-defaults.ts';
import { deepMerge } from './merge.ts';
import type { CniChartValues, ZTunnelChartValues } from './types.ts';

/** The istiod chart's view of an IstioRevision's values; `tag` is the Istio version's image tag. */
export function controlPlaneChartValues(values: Values, tag: string): Values {
  const layers = chartLayers(values.profile, values.global?.platform).map((p): Values => ({
    meshConfig: p.meshConfig,
    global: p.global,
    pilot: p.pilot,
    experimental: p.experimental,
  }));
  return deepMerge(controlPlaneDefaults(tag), ...layers, values);
}

/** The istio-cni chart's view of an IstioCNI's computed values. */
export function cniChartValues(values: CniChartValues, tag: string): CniChartValues {
  const layers = chartLayers(values.profile, values.global?.platform).map((p): CniChartValues => ({
    global: p.global,
    cni: p.cni,
  }));
  return deepMerge(cniDefaults(tag), ...layers, values);
}

/**
 * The ztunnel chart's view of a ZTunnel's computed values. The chart copies `global.*` to the top level (profile's
 * global first, then the values' own) above its defaults and below the top-level values, so `ztunnel.hub` beats
 * `global.hub`, which beats the default hub.
 */
export function ztunnelChartValues(values: ZTunnelChartValues, tag: string): ZTunnelChartValues {
  const layers = chartLayers(values.profile, values.platform ?? values.global?.platform);
  const own = layers.map((p): ZTunnelChartValues => ({ meshConfig: p.meshConfig, ...p.ztunnel }));
  // Global settings and ztunnel's top-level settings share names (hub, tag, network, logAsJson, istioNamespace, ...).
  const globals = [...layers.map((p) => p.global), values.global] as (ZTunnelChartValues | undefined)[];
  return deepMerge(ztunnelDefaults(tag), ...own, ...globals, values);
}
