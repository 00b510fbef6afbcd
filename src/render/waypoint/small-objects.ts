// The waypoint's ServiceAccount (its SPIFFE identity), and the HorizontalPodAutoscaler and PodDisruptionBudget that
// exist only when an overlay configures them (their skeletons here carry the target and selector, nothing else).
import type { KubeObject } from '../../kube/objects.ts';
import { gatewayNameLabel } from './input.ts';
import type { WaypointMeta } from './metadata.ts';
import { objectMetadata } from './metadata.ts';

export function waypointServiceAccount(meta: WaypointMeta): KubeObject {
  // Owned by the Gateway like the rest: safe since Kubernetes 1.28 (kubernetes/kubernetes#117412).
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: objectMetadata(meta, meta.names.serviceAccount) };
}

export function waypointAutoscaler(meta: WaypointMeta): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: objectMetadata(meta, meta.names.deployment),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: meta.names.deployment },
      maxReplicas: 1,
    },
  };
}

export function waypointDisruptionBudget(meta: WaypointMeta): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: objectMetadata(meta, meta.names.deployment),
    spec: { selector: { matchLabels: { [gatewayNameLabel]: meta.gatewayName } } },
  };
}
