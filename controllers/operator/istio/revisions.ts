// An Istio's revisions: the active one's name and desired object, and which inactive ones may be pruned. Pure.
import type { IstioSpec } from '../../../src/api/sailoperator/istio.ts';
import type { Values } from '../../../src/api/values.ts';
import { findCondition } from '../../../src/kube/conditions.ts';
import { controllerRef, type KubeObject } from '../../../src/kube/objects.ts';
import type { Condition } from '../../../src/api/kube-types.ts';

/** InPlace: the Istio's name. RevisionBased: name and version, dots as dashes (Sail's `default-v1-30-2`). */
export function activeRevisionName(istio: KubeObject): string {
  const spec = istio['spec'] as IstioSpec;
  return spec.updateStrategy.type === 'RevisionBased'
    ? `${istio.metadata.name}-${spec.version.replaceAll('.', '-')}`
    : istio.metadata.name;
}

export function desiredRevision(
  istio: KubeObject,
  name: string,
  version: string,
  values: Values,
  managedBy: string,
): KubeObject {
  const spec = istio['spec'] as IstioSpec;
  return {
    apiVersion: 'sailoperator.io/v1',
    kind: 'IstioRevision',
    metadata: { name, labels: { 'managed-by': managedBy }, ownerReferences: [controllerRef(istio)] },
    spec: { version, namespace: spec.namespace, values },
  };
}

export interface PruneDecision {
  prune: string[];
  /** When the next inactive revision's grace period ends, if one is still waiting. */
  recheckInMs?: number;
}

/**
 * Inactive revisions go once nothing has used them for the grace period (InUse=False since at least then). In use,
 * or usage unknown, they stay.
 */
export function revisionsToPrune(owned: KubeObject[], active: string, graceSeconds: number, now: Date): PruneDecision {
  const prune: string[] = [];
  let recheckInMs: number | undefined;
  for (const rev of owned) {
    if (rev.metadata.name === active || rev.metadata.deletionTimestamp) continue;
    const inUse = findCondition((rev['status'] as { conditions?: Condition[] } | undefined)?.conditions, 'InUse');
    if (inUse?.status !== 'False') continue;
    const since = Date.parse(inUse.lastTransitionTime ?? '') || now.getTime();
    const left = since + graceSeconds * 1000 - now.getTime();
    if (left <= 0) prune.push(rev.metadata.name);
    else recheckInMs = Math.min(recheckInMs ?? left, left);
  }
  return recheckInMs === undefined ? { prune } : { prune, recheckInMs };
}

/**
 * The ztunnel namespace the control plane trusts to ask for certificates on pods' behalf: the user's
 * pilot.trustedZtunnelNamespace when set, else the namespace of the ZTunnel that exists (Sail makes users set it by
 * hand, and a mismatch breaks every ambient pod's certificate).
 */
export function withTrustedZtunnel(
  values: Values,
  userValues: Values | undefined,
  ztunnel: KubeObject | undefined,
): Values {
  if (userValues?.pilot?.trustedZtunnelNamespace || !ztunnel) return values;
  const namespace = (ztunnel['spec'] as { namespace: string }).namespace;
  return { ...values, pilot: { ...values.pilot, trustedZtunnelNamespace: namespace } };
}
