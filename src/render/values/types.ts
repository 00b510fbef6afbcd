// Names for the parts of the values tree the pipeline and the renderers pass around.
import type { CNIValues, Values, ZTunnelValues } from '../../api/values.ts';

export type GlobalValues = NonNullable<Values['global']>;
export type PilotValues = NonNullable<Values['pilot']>;
export type MeshConfigValues = NonNullable<Values['meshConfig']>;
export type CniConfigValues = NonNullable<CNIValues['cni']>;
export type ZTunnelConfigValues = NonNullable<ZTunnelValues['ztunnel']>;

/** Whether Ambit runs on plain Kubernetes or OpenShift (detected by the operator at start). */
export type Platform = 'kubernetes' | 'openshift';

/** A ResourceQuota for system-node-critical pods outside kube-system (GKE refuses them otherwise). */
export interface ResourceQuotaValues {
  enabled?: boolean;
  pods?: number;
}

/**
 * The ztunnel chart's values: ZTunnel's own settings at the top level (the chart has no `ztunnel:` scope), beside the
 * global values and mesh config it inherits. The chart copies `global.*` to the top level, below the top-level keys.
 */
export type ZTunnelChartValues = ZTunnelConfigValues & {
  profile?: string;
  platform?: string;
  global?: GlobalValues;
  meshConfig?: MeshConfigValues;
  resourceQuotas?: ResourceQuotaValues;
};

/**
 * The istio-cni chart's values. Besides the fields src/api types, the chart reads a few that Sail's schema has and
 * ours keeps as unknown fields; they are named here so the renderer reads them as what they are.
 */
export type CniChartValues = CNIValues & {
  profile?: string;
  cni?: CniConfigValues & {
    resourceQuotas?: ResourceQuotaValues;
    useAppArmorAnnotation?: boolean;
    istioOwnedCNIConfig?: boolean;
    istioOwnedCNIConfigFileName?: string;
    terminationGracePeriodSeconds?: number;
    tolerations?: ZTunnelConfigValues['tolerations'];
    seLinuxOptions?: Record<string, unknown>;
    updateStrategy?: Record<string, unknown>;
  };
};
