// The status istiod writes on AuthorizationPolicies in ambient mode: WaypointAccepted for policies with targetRefs
// (is each target a waypoint, or bound to one?) and ZtunnelAccepted for the rest (can ztunnel, which sees only L4,
// enforce it?). Reasons are istiod's (Accepted, TargetNotFound, AncestorNotBound, Invalid, PartiallyInvalid,
// UnsupportedValue); messages are ours where istiod's say less, and add what Ambit itself does not support.
import type { PolicyTargetReference } from '../../api/istio/common.ts';
import type { AuthorizationPolicySpec } from '../../api/istio/security.ts';
import { serviceBinding } from '../binding.ts';
import type { ConditionInput } from '../../kube/conditions.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { ClusterIndex } from './cluster-index.ts';
import { httpAttributes, invalidValues, isDryRun, unmodelledFields } from './policy-fields.ts';
import { ancestor, rawTargets, targetProblem } from './policy-targets.ts';

export const waypointAccepted = 'WaypointAccepted';
export const ztunnelAccepted = 'ZtunnelAccepted';
const meshController = 'istio.io/mesh-controller';

export interface PolicyFacts {
  index: ClusterIndex;
  /** The control plane's namespace: the only one GatewayClass-targeted policies may live in. */
  rootNamespace: string;
}

export interface PolicyStatus {
  conditions: ConditionInput[];
  observedGeneration: number;
}

interface Binding {
  bound: boolean;
  reason: string;
  message: string;
  ancestor: string;
}

export function policyStatus(policy: KubeObject, facts: PolicyFacts): PolicyStatus {
  const spec = (policy['spec'] ?? {}) as AuthorizationPolicySpec;
  const refs = rawTargets(spec);
  const condition = refs.length > 0 ? waypointCondition(policy, spec, refs, facts) : ztunnelCondition(policy, spec);
  return { conditions: [condition], observedGeneration: policy.metadata.generation ?? 0 };
}

function waypointCondition(
  policy: KubeObject,
  spec: AuthorizationPolicySpec,
  refs: PolicyTargetReference[],
  facts: PolicyFacts,
): ConditionInput {
  const unsupported = unsupportedByAmbit(policy, spec);
  if (unsupported) return { type: waypointAccepted, ...unsupported };
  const bindings = refs.map((ref) => bindTarget(ref, policy.metadata.namespace ?? '', facts));
  const flat = flatten(bindings);
  const missing = [...new Set((spec.rules ?? []).flatMap(unmodelledFields))].sort();
  const invalid = invalidIn(spec);
  if (flat.status === 'True' && (missing.length > 0 || invalid))
    return {
      type: waypointAccepted,
      status: 'True',
      reason: 'UnsupportedValue',
      message: [
        flat.message,
        ...(missing.length > 0 ? [`${missing.join(', ')} ${notSupported(spec.action ?? 'ALLOW')}`] : []),
        ...(invalid ? [invalid] : []),
      ].join('; '),
    };
  return { type: waypointAccepted, ...flat };
}

function unsupportedByAmbit(policy: KubeObject, spec: AuthorizationPolicySpec) {
  if (isDryRun(policy))
    return {
      status: 'False' as const,
      reason: 'UnsupportedValue',
      message: 'dry-run policies (istio.io/dry-run) are not supported by Ambit; the policy is not enforced',
    };
  if (spec.action !== 'CUSTOM') return undefined;
  if (!spec.provider?.name)
    return { status: 'False' as const, reason: 'Invalid', message: 'the CUSTOM action requires provider.name' };
  return {
    status: 'False' as const,
    reason: 'UnsupportedValue',
    message: `the CUSTOM action (external authorization by "${spec.provider.name}") is not supported by Ambit's waypoints`,
  };
}

/** The values that are not what their field holds, and what that does to the rules; undefined when all are. */
function invalidIn(spec: AuthorizationPolicySpec): string | undefined {
  const invalid = (spec.rules ?? []).flatMap(invalidValues);
  if (invalid.length === 0) return undefined;
  const effect =
    (spec.action ?? 'ALLOW') === 'ALLOW'
      ? 'so the rules using them allow nothing'
      : 'so the rules using them are enforced without them, denying more';
  return `${invalid.join(', ')} ${invalid.length === 1 ? 'is' : 'are'} not a valid IP address, CIDR, port, namespace or header name, ${effect}`;
}

const notSupported = (action: string) =>
  action === 'ALLOW'
    ? 'are not supported by Ambit, so the rules using them allow nothing'
    : 'are not supported by Ambit, so the rules using them are enforced without them';

function bindTarget(ref: PolicyTargetReference, policyNs: string, facts: PolicyFacts): Binding {
  const where = ancestor(ref, policyNs);
  const problem = targetProblem(ref, policyNs);
  if (problem) return { bound: false, reason: 'Invalid', message: problem, ancestor: where };
  const ns = ref.namespace || policyNs;
  const id = `${ns}/${ref.name}`;
  const ok = (message: string) => ({ bound: true, reason: 'Accepted', message, ancestor: where });
  const no = (reason: string, message: string) => ({ bound: false, reason, message, ancestor: where });
  const { index } = facts;
  switch (ref.kind) {
    case 'Gateway': {
      if (index.view.waypoint(ns, ref.name)) return ok(`bound to ${id}`);
      if (index.gateway(ns, ref.name))
        return no('TargetNotFound', `Gateway ${id} is not a ready waypoint (it has no status.addresses yet)`);
      return no('TargetNotFound', `Gateway ${id} was not found`);
    }
    case 'GatewayClass': {
      if (policyNs !== facts.rootNamespace)
        return no(
          'Invalid',
          `AuthorizationPolicy must be in the root namespace \`${facts.rootNamespace}\` when referencing a GatewayClass`,
        );
      const cls = index.gatewayClass(ref.name);
      if (!cls) return no('TargetNotFound', `GatewayClass ${ref.name} was not found`);
      if ((cls['spec'] as { controllerName?: string } | undefined)?.controllerName !== meshController)
        return no('Invalid', `GatewayClass must use controller name \`${meshController}\` for waypoints`);
      return ok(`bound to ${ref.name}`);
    }
    default: {
      const obj = ref.kind === 'Service' ? index.service(ns, ref.name) : index.serviceEntry(ns, ref.name);
      if (!obj) return no('TargetNotFound', `${ref.kind} ${id} was not found`);
      const b = serviceBinding(index.view, obj);
      if (b.kind === 'bound') return ok(`bound to ${b.waypoint.namespace}/${b.waypoint.name}`);
      const why = b.kind === 'error' ? `: ${b.message}` : '';
      return no('AncestorNotBound', `${ref.kind} ${id} is not bound to a waypoint${why}`);
    }
  }
}

// One condition for all targets: True if any target took the policy, PartiallyInvalid if only some did.
function flatten(bindings: Binding[]): Omit<ConditionInput, 'type'> {
  const [only] = bindings;
  if (only && bindings.length === 1)
    return { status: only.bound ? 'True' : 'False', reason: only.reason, message: only.message };
  const bound = bindings.filter((b) => b.bound);
  const unbound = bindings.filter((b) => !b.bound);
  const invalid = `Invalid targetRefs: ${unbound.map((b) => `${b.ancestor} (${b.message})`).join(', ')}`;
  if (unbound.length === 0)
    return { status: 'True', reason: 'Accepted', message: bound.map((b) => `${b.ancestor} ${b.message}`).join(', ') };
  if (bound.length === 0) return { status: 'False', reason: 'Invalid', message: invalid };
  return { status: 'True', reason: 'PartiallyInvalid', message: invalid };
}

function ztunnelCondition(policy: KubeObject, spec: AuthorizationPolicySpec): ConditionInput {
  const type = ztunnelAccepted;
  const action = spec.action ?? 'ALLOW';
  if (isDryRun(policy))
    return {
      type,
      status: 'False',
      reason: 'UnsupportedValue',
      message: 'dry-run policies (istio.io/dry-run) are not supported by Ambit; the policy is not enforced',
    };
  if (action !== 'ALLOW' && action !== 'DENY')
    return {
      type,
      status: 'False',
      reason: 'UnsupportedValue',
      message: `ztunnel does not support the ${action} action`,
    };
  const rules = spec.rules ?? [];
  const http = httpAttributes(rules);
  const other = [...new Set(rules.flatMap(unmodelledFields))].filter((f) => !http.includes(f)).sort();
  const invalid = invalidIn(spec);
  if (http.length === 0 && other.length === 0 && !invalid)
    return { type, status: 'True', reason: 'Accepted', message: 'attached to ztunnel' };
  const parts = [];
  if (http.length > 0)
    parts.push(`ztunnel does not support HTTP attributes (found: ${http.join(', ')}). ${httpEffect(action)}`);
  if (other.length > 0) parts.push(`${other.join(', ')} ${notSupported(action)}.`);
  if (invalid) parts.push(`${invalid}.`);
  return { type, status: 'True', reason: 'UnsupportedValue', message: parts.join(' ') };
}

const httpEffect = (action: string) =>
  action === 'ALLOW'
    ? 'Rules using them never match, so this ALLOW policy allows less than written; attach it to a waypoint with ' +
      'targetRefs to enforce HTTP rules.'
    : 'Rules using them are enforced without them; attach the policy to a waypoint with targetRefs to enforce HTTP ' +
      'rules as written.';
