// The mesh configuration in the control plane's ConfigMap (`istio[-<rev>]`): Istio's defaults for the revision with
// the values' meshConfig merged on top, discoverySelectors included, as the istiod chart writes it.
import type { Values } from '../api/values.ts';
import { deepMerge } from './values/merge.ts';
import { valueAt } from './values/tree.ts';
import type { MeshConfigValues } from './values/types.ts';
import { compact } from './context.ts';

export interface MeshConfigInput {
  /** The chart view of the revision's values (controlPlaneChartValues). */
  values: Values;
  namespace: string;
  /** The control plane's Service name, istiod[-<rev>]. */
  serviceName: string;
}

// Prometheus metrics stay the default provider unless telemetry (or its v2 Prometheus part) is switched off.
function prometheusByDefault(values: Values): boolean {
  const telemetry = values.telemetry;
  return (
    valueAt(telemetry, 'enabled') !== false &&
    valueAt(telemetry, 'v2', 'enabled') !== false &&
    valueAt(telemetry, 'v2', 'prometheus', 'enabled') !== false
  );
}

export function meshConfig(input: MeshConfigInput): MeshConfigValues {
  const { values } = input;
  const variant = valueAt(values.global?.proxy, 'variant') ?? values.global?.variant;
  const defaults: MeshConfigValues = {
    trustDomain: 'cluster.local',
    rootNamespace: input.namespace,
    defaultProviders: prometheusByDefault(values) ? { metrics: ['prometheus'] } : undefined,
    defaultConfig: compact({
      discoveryAddress: `${input.serviceName}.${input.namespace}.svc:15012`,
      meshId: values.global?.meshID,
      image: typeof variant === 'string' && variant ? { imageType: variant } : undefined,
    }),
  };
  return deepMerge(defaults, values.meshConfig);
}

/** The meshNetworks document: the networks of a multi-network mesh, none by default. */
export function meshNetworks(values: Values): { networks: unknown } {
  return { networks: valueAt(values.global, 'meshNetworks') ?? {} };
}
