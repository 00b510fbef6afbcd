// ReferenceGrant (gateway.networking.k8s.io): a namespace's owner lets objects of a kind in another namespace refer to
// its Services. Without one, a cross-namespace backendRef is refused (RefNotPermitted) and gets no traffic.
import type { KubeObject } from '../../kube/objects.ts';
import { gatewayGroup, isCoreGroup, type ReferenceGrantSpec } from './gateway-api.ts';

/** Whether a `fromKind` (a Gateway API kind) in `fromNamespace` may refer to Service `name` in the grants' namespace. */
export function serviceReferenceAllowed(
  grants: KubeObject[],
  from: { kind: string; namespace: string },
  name: string,
): boolean {
  return grants.some((g) => {
    const spec = (g['spec'] ?? {}) as ReferenceGrantSpec;
    const fromOk = (spec.from ?? []).some(
      (f) => f.group === gatewayGroup && f.kind === from.kind && f.namespace === from.namespace,
    );
    const toOk = (spec.to ?? []).some(
      (t) => isCoreGroup(t.group) && t.kind === 'Service' && (t.name === undefined || t.name === name),
    );
    return fromOk && toOk;
  });
}
