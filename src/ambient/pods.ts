// What the model reads from a pod, shared by the Services' and the ServiceEntries' endpoints and the workload list:
// its UID in ztunnel's view, whether it is live and ready, and its named ports. Pure.
import type { KubeObject } from '../kube/objects.ts';

export const podUid = (clusterId: string, ns: string, name: string) => `${clusterId}//Pod/${ns}/${name}`;

interface PodStatus {
  podIP?: string;
  phase?: string;
  conditions?: { type: string; status: string }[];
}

const statusOf = (pod: KubeObject) => (pod['status'] ?? {}) as PodStatus;

/** The pod's first IP while it can serve (it has one and is not terminated), else undefined. */
export function livePodIp(pod: KubeObject): string | undefined {
  const status = statusOf(pod);
  if (!status.podIP || status.phase === 'Succeeded' || status.phase === 'Failed') return undefined;
  return status.podIP;
}

export const podReady = (pod: KubeObject): boolean =>
  statusOf(pod).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** The container port of that name, if a container declares one. */
export function namedContainerPort(pod: KubeObject, name: string): number | undefined {
  type Spec = { containers?: { ports?: { name?: string; containerPort?: number }[] }[] } | undefined;
  const containers = (pod['spec'] as Spec)?.containers;
  for (const c of containers ?? []) {
    const port = c.ports?.find((p) => p.name === name)?.containerPort;
    if (port !== undefined) return port;
  }
  return undefined;
}
