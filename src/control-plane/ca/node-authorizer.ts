// Whether a node agent may have another workload's certificate, as istiod decides: the caller's token must be bound
// to its pod (still the same pod, by uid, with that service account), and a pod with the requested service account
// must run on the same node. A trusted ztunnel thus gets only the identities of the pods it serves. Pure.
import type { KubeObject } from '../../kube/objects.ts';
import type { TokenIdentity } from './token-review.ts';

export interface PodLookup {
  get: (name: string, namespace: string) => KubeObject | undefined;
  list: (pred: (p: KubeObject) => boolean) => KubeObject[];
}

interface PodSpec {
  nodeName?: string;
  serviceAccountName?: string;
}

const specOf = (p: KubeObject) => (p['spec'] ?? {}) as PodSpec;
const failed = (p: KubeObject) => (p['status'] as { phase?: string } | undefined)?.phase === 'Failed';

/** Throws with the reason the caller may not have `wanted` (namespace and service account); returns when it may. */
export function authorizeOnNode(
  caller: TokenIdentity,
  wanted: { namespace: string; serviceAccount: string },
  pods: PodLookup,
): void {
  const who = `${caller.namespace}/${caller.serviceAccount}`;
  if (!caller.pod)
    throw new Error(`the token of ${who} is not bound to a pod; node agents must use their pod's projected token`);
  const pod = pods.get(caller.pod.name, caller.namespace);
  if (!pod) throw new Error(`the caller's pod ${caller.namespace}/${caller.pod.name} was not found`);
  if (pod.metadata.uid !== caller.pod.uid)
    throw new Error(`the caller's pod ${caller.namespace}/${caller.pod.name} was replaced (uid differs); retry`);
  const { nodeName, serviceAccountName } = specOf(pod);
  if (serviceAccountName !== caller.serviceAccount)
    throw new Error(`the caller's pod runs as ${serviceAccountName ?? 'default'}, not ${caller.serviceAccount}`);
  if (!nodeName) throw new Error(`the caller's pod ${caller.namespace}/${caller.pod.name} is not on a node yet`);
  const onNode = pods.list(
    (p) =>
      p.metadata.namespace === wanted.namespace &&
      specOf(p).serviceAccountName === wanted.serviceAccount &&
      specOf(p).nodeName === nodeName &&
      !failed(p),
  );
  if (onNode.length === 0)
    throw new Error(`no pod of ${wanted.namespace}/${wanted.serviceAccount} runs on node ${nodeName}`);
}
