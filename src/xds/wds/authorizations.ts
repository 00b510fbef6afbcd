// The Authorization resources ztunnel enforces (type.googleapis.com/istio.security.Authorization): the
// AuthorizationPolicies without targetRefs (those with targetRefs belong to waypoints). Resource name
// `<namespace>/<name>`, as istiod names them and as Workload.authorization_policies refers to them.
//
// Scope: a selector (with at least one label) → WORKLOAD_SELECTOR, applied to the workloads that list the policy;
// otherwise GLOBAL in the root namespace and NAMESPACE elsewhere. An empty selector selects everything, so it counts
// as none.
//
// ztunnel only sees L4 (see rules.ts). A rule that needs more is never silently made more permissive:
// - ALLOW: the rule is dropped, since it could never match at L4. Traffic it would have allowed is denied (unless
//   another rule allows it); a policy left without rules allows nothing, as Istio's own ALLOW semantics require.
// - DENY: the conditions ztunnel cannot evaluate count as matching anything, so the rule denies everything that
//   matches its L4 part (everything, when it has none). This denies more than asked, never less.
// - CUSTOM and AUDIT are not sent at all: ztunnel has neither.
// Every such policy is reported by `authorizationChanges`, for the control plane to warn about.
import type { AuthorizationPolicy, MeshModel } from '../model/model.ts';
import { compact, type Json } from './json.ts';
import { l4Rule } from './rules.ts';

export type AuthorizationChange =
  /** `rules`: indexes into the policy's spec.rules; `fields`: what ztunnel cannot evaluate. */
  | { policy: string; effect: 'allow-rules-dropped'; rules: number[]; fields: string[] }
  | { policy: string; effect: 'deny-rules-widened'; rules: number[]; fields: string[] }
  | { policy: string; effect: 'not-enforced'; action: 'CUSTOM' | 'AUDIT' };

/** Resource name → `istio.security.Authorization`, sorted by name. */
export function authorizationResources(model: MeshModel): Map<string, Json> {
  return new Map(
    ztunnelPolicies(model).flatMap((p) => {
      const converted = convertPolicy(model, p);
      return converted.resource ? [[authorizationResourceName(p), converted.resource] as const] : [];
    }),
  );
}

/** The policies ztunnel enforces differently from what they say, sorted by name. */
export function authorizationChanges(model: MeshModel): AuthorizationChange[] {
  return ztunnelPolicies(model).flatMap((p) => convertPolicy(model, p).change ?? []);
}

/** One change in words, for logs and status conditions. */
export function describeChange(change: AuthorizationChange): string {
  const hint = 'attach the policy to a waypoint with targetRefs to enforce it as written';
  switch (change.effect) {
    case 'allow-rules-dropped':
      return `${change.policy}: ztunnel cannot evaluate ${change.fields.join(', ')}; ${ruleList(change.rules)} are left out and allow nothing (${hint})`;
    case 'deny-rules-widened':
      return `${change.policy}: ztunnel cannot evaluate ${change.fields.join(', ')}; ${ruleList(change.rules)} deny every connection matching the rest of the rule (${hint})`;
    case 'not-enforced':
      return `${change.policy}: ztunnel does not support the ${change.action} action; the policy is not enforced`;
  }
}

export function authorizationResourceName(policy: Pick<AuthorizationPolicy, 'namespace' | 'name'>): string {
  return `${policy.namespace}/${policy.name}`;
}

/** Selector, namespace and mesh-wide policies, sorted by resource name. */
function ztunnelPolicies(model: MeshModel): AuthorizationPolicy[] {
  return model.authorizationPolicies
    .filter((p) => p.targetRefs.length === 0)
    .sort((a, b) => compare(authorizationResourceName(a), authorizationResourceName(b)));
}

function convertPolicy(
  model: MeshModel,
  policy: AuthorizationPolicy,
): { resource?: Json; change?: AuthorizationChange } {
  const name = authorizationResourceName(policy);
  const { action } = policy;
  if (action === 'CUSTOM' || action === 'AUDIT') return { change: { policy: name, effect: 'not-enforced', action } };
  const converted = policy.rules.map(l4Rule);
  const changed = converted.flatMap((r, i) => (r.unsupported.length > 0 ? [i] : []));
  const groups = converted
    .filter((r) => action === 'DENY' || r.unsupported.length === 0)
    .map((r) => compact({ rules: r.rules }));
  const resource = compact({
    name: policy.name,
    namespace: policy.namespace,
    scope: scope(model, policy),
    action: action === 'ALLOW' ? undefined : action,
    groups,
  });
  if (changed.length === 0) return { resource };
  const fields = [...new Set(changed.flatMap((i) => converted[i]!.unsupported))].sort();
  const effect = action === 'ALLOW' ? 'allow-rules-dropped' : 'deny-rules-widened';
  return { resource, change: { policy: name, effect, rules: changed, fields } };
}

/** GLOBAL is the enum's default, so it is left out. */
function scope(model: MeshModel, policy: AuthorizationPolicy): string | undefined {
  if (Object.keys(policy.selector ?? {}).length > 0) return 'WORKLOAD_SELECTOR';
  return policy.namespace === model.rootNamespace ? undefined : 'NAMESPACE';
}

const ruleList = (rules: number[]) => rules.map((i) => `rules[${i}]`).join(', ');

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
