// Everything a ZTunnel installs: ztunnel's ServiceAccount, on OpenShift the right to run privileged, a quota where
// the platform needs one, and the ztunnel DaemonSet.
import type { KubeObject } from '../kube/objects.ts';
import type { RenderContext } from './context.ts';
import { nonEmpty, objectMeta } from './context.ts';
import { binding, clusterRole, privilegedSccRule } from './rbac.ts';
import { resourceQuota } from './resource-quota.ts';
import { ztunnelChartValues } from './values/chart-values.ts';
import { deepCopy } from './values/tree.ts';
import type { ZTunnelChartValues } from './values/types.ts';
import { ztunnelDaemonSet } from './ztunnel-daemonset.ts';

export interface ZTunnelInput extends RenderContext {
  /** The ZTunnel's spec.namespace. */
  namespace: string;
  /** computeZTunnelValues of the ZTunnel. */
  values: ZTunnelChartValues;
}

/** ztunnel's objects in apply order: identity and RBAC, quota, DaemonSet. They share nothing with the input or each other. */
export function renderZTunnel(input: ZTunnelInput): KubeObject[] {
  const { namespace } = input;
  const values = ztunnelChartValues(input.values, input.version.version);
  // resourceName renames everything; the control plane must then trust that name (pilot.trustedZtunnelName).
  const name = values.resourceName || 'ztunnel';
  const labels = { 'app.kubernetes.io/name': 'ztunnel', ...values.labels };
  const annotations = nonEmpty({
    ...values.annotations,
    ...(values.revision ? { 'istio.io/rev': values.revision } : {}),
  });
  const meta = { name, labels, annotations };
  const pullSecrets = values.imagePullSecrets?.map((secret) => ({ name: secret }));
  const clusterMeta = objectMeta(input, { name, labels: { app: 'ztunnel', ...labels }, annotations });

  return deepCopy([
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: objectMeta(input, { name, namespace, labels, annotations }),
      ...(nonEmpty(pullSecrets) ? { imagePullSecrets: pullSecrets } : {}),
    },
    ...(values.platform === 'openshift'
      ? [
          clusterRole(clusterMeta, [privilegedSccRule]),
          binding('ClusterRoleBinding', clusterMeta, name, { name, namespace }),
        ]
      : []),
    ...(values.resourceQuotas?.enabled === true
      ? [resourceQuota(input, name, namespace, values.resourceQuotas, labels)]
      : []),
    ztunnelDaemonSet(input, namespace, meta, values),
  ]);
}
