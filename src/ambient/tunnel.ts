// How ztunnel reaches a workload, as istiod decides it: over HBONE once the CNI has redirected the pod's traffic (it
// marks the pod `ambient.istio.io/redirection: enabled`; a WorkloadEntry or ServiceEntry may carry the same mark for
// its addresses), or when the workload terminates HBONE itself (label `networking.istio.io/tunnel` listing `http`).
// `istio.io/dataplane-mode` only asks the CNI to redirect: until it has, the pod is reached in plain text. Pure.
import type { ObjectMeta } from '../kube/objects.ts';

export const redirectionAnnotation = 'ambient.istio.io/redirection';
const tunnelLabel = 'networking.istio.io/tunnel';

export interface Tunnel {
  hbone: boolean;
  /** The workload itself speaks HBONE (no ztunnel in front of it). */
  native: boolean;
}

export function tunnelOf(meta: Pick<ObjectMeta, 'labels' | 'annotations'>): Tunnel {
  const native = (meta.labels?.[tunnelLabel] ?? '').split(',').includes('http');
  return { hbone: native || meta.annotations?.[redirectionAnnotation] === 'enabled', native };
}
