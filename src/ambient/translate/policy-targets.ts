// AuthorizationPolicy targetRefs: the kinds a waypoint policy may attach to, each with its API group, in the policy's
// own namespace (istio.io/api refuses cross-namespace references).
import type { PolicyTargetReference } from '../../api/istio/common.ts';
import type { AuthorizationPolicySpec } from '../../api/istio/security.ts';
import { gatewayGroup, isCoreGroup } from './gateway-api.ts';

export const targetGroups: Record<string, string> = {
  Gateway: gatewayGroup,
  GatewayClass: gatewayGroup,
  Service: '',
  ServiceEntry: 'networking.istio.io',
};

/** targetRefs, or the older single targetRef. */
export function rawTargets(spec: AuthorizationPolicySpec): PolicyTargetReference[] {
  return [...(spec.targetRefs ?? []), ...(spec.targetRef ? [spec.targetRef] : [])];
}

/** Why a reference is unusable, or undefined when it is fine. */
export function targetProblem(ref: PolicyTargetReference, policyNamespace: string): string | undefined {
  const want = targetGroups[ref.kind];
  if (want === undefined)
    return `targetRef kind "${ref.kind}" is not supported (use Gateway, Service, ServiceEntry or GatewayClass)`;
  const group = isCoreGroup(ref.group) ? '' : (ref.group ?? '');
  if (group !== want) return `targetRef ${ref.kind}/${ref.name} must have group "${want}", not "${group}"`;
  if (ref.namespace && ref.namespace !== policyNamespace)
    return `targetRef ${ref.kind}/${ref.name} is in namespace "${ref.namespace}"; only the policy's namespace is allowed`;
  return undefined;
}

/** `Kind.group:ns/name`, the form istiod names a policy's ancestors in. */
export const ancestor = (ref: PolicyTargetReference, policyNamespace: string) =>
  `${ref.kind}.${isCoreGroup(ref.group) ? 'core' : (ref.group ?? '')}:${ref.namespace || policyNamespace}/${ref.name}`;
