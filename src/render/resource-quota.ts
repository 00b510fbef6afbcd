// A quota that admits system-node-critical pods outside kube-system, which some platforms (GKE) refuse otherwise.
import type { KubeObject } from '../kube/objects.ts';
import type { RenderContext } from './context.ts';
import { objectMeta } from './context.ts';
import type { ResourceQuotaValues } from './values/types.ts';

export function resourceQuota(
  ctx: RenderContext,
  name: string,
  namespace: string,
  quota: ResourceQuotaValues,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: objectMeta(ctx, { name, namespace, labels }),
    spec: {
      hard: { pods: String(quota.pods ?? 5000) },
      scopeSelector: {
        matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical'] }],
      },
    },
  };
}
