// security.istio.io AuthorizationPolicies → the model's policies, with a problem (never an exception) for each thing
// that cannot be enforced as written. A policy that cannot attach where its author meant is left out rather than
// widened: a policy whose every targetRef is invalid must not turn into a namespace-wide ztunnel policy.
import type { AuthorizationPolicySpec, AuthorizationRule } from '../../api/istio/security.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { AuthorizationPolicy, PolicyOperation, PolicyRule, PolicySource } from '../../xds/model/model.ts';
import { isCoreGroup } from './gateway-api.ts';
import { isDryRun, unmodelledFields } from './policy-fields.ts';
import { rawTargets, targetProblem } from './policy-targets.ts';

export { policyStatus } from './policy-status.ts';

export interface PolicyProblem {
  /** `<ns>/<name>`. */
  policy: string;
  message: string;
}

export interface ConvertedPolicy {
  /** Absent when the policy cannot be enforced at all. */
  policy?: AuthorizationPolicy;
  problems: string[];
}

const actions = new Set(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);

export function authorizationPolicies(objs: KubeObject[]): {
  policies: AuthorizationPolicy[];
  problems: PolicyProblem[];
} {
  const policies: AuthorizationPolicy[] = [];
  const problems: PolicyProblem[] = [];
  const sorted = [...objs].sort((a, b) => compareText(id(a), id(b)));
  for (const obj of sorted) {
    const converted = convertAuthorizationPolicy(obj);
    if (converted.policy) policies.push(converted.policy);
    problems.push(...converted.problems.map((message) => ({ policy: id(obj), message })));
  }
  return { policies, problems };
}

export function convertAuthorizationPolicy(obj: KubeObject): ConvertedPolicy {
  const spec = (obj['spec'] ?? {}) as AuthorizationPolicySpec;
  const namespace = obj.metadata.namespace ?? '';
  const problems: string[] = [];
  const action = spec.action ?? 'ALLOW';
  if (!actions.has(action)) return { problems: [`action "${action}" is not one of ALLOW, DENY, AUDIT, CUSTOM`] };
  if (isDryRun(obj))
    return { problems: ['dry-run policies (istio.io/dry-run) are not supported by Ambit; the policy is not enforced'] };
  if (action === 'CUSTOM' && !spec.provider?.name)
    return { problems: ['the CUSTOM action requires provider.name; the policy is not enforced'] };
  const refs = rawTargets(spec);
  const targetRefs = refs.flatMap((ref) => {
    const problem = targetProblem(ref, namespace);
    if (problem) problems.push(`${problem}; the reference is ignored`);
    return problem ? [] : [{ group: isCoreGroup(ref.group) ? '' : (ref.group ?? ''), kind: ref.kind, name: ref.name }];
  });
  if (refs.length > 0 && targetRefs.length === 0)
    return { problems: [...problems, 'no usable targetRefs; the policy is not enforced'] };
  const matchLabels = spec.selector?.matchLabels;
  if (matchLabels && targetRefs.length > 0)
    problems.push('selector and targetRefs are both set; only one may be, so the selector is ignored');
  const rules = (spec.rules ?? []).flatMap((rule, i) => convertRule(rule, i, action, problems));
  const policy: AuthorizationPolicy = { name: obj.metadata.name, namespace, action, targetRefs, rules };
  if (matchLabels && targetRefs.length === 0) policy.selector = { ...matchLabels };
  return { policy, problems };
}

// A field the model cannot hold would have narrowed its rule, so dropping just the field widens the rule. For ALLOW
// the whole rule goes instead (it allows nothing rather than more); other actions lose the field (DENY denies more).
function convertRule(rule: AuthorizationRule, i: number, action: string, problems: string[]): PolicyRule[] {
  const missing = unmodelledFields(rule);
  if (missing.length > 0) {
    const effect =
      action === 'ALLOW'
        ? 'the rule is dropped, so it allows nothing'
        : 'the fields are ignored, so the rule matches more requests';
    problems.push(`rules[${String(i)}] uses ${missing.join(', ')}, which Ambit does not support; ${effect}`);
    if (action === 'ALLOW') return [];
  }
  const out: PolicyRule = {};
  if (rule.from) out.from = rule.from.map((f) => ({ source: source(f.source ?? {}) }));
  if (rule.to) out.to = rule.to.map((t) => ({ operation: operation(t.operation ?? {}) }));
  if (rule.when)
    out.when = rule.when.map((w) => ({
      key: w.key,
      ...(w.values?.length ? { values: [...w.values] } : {}),
      ...(w.notValues?.length ? { notValues: [...w.notValues] } : {}),
    }));
  return [out];
}

const sourceFields = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks'] as const;
const operationFields = [
  'hosts',
  'notHosts',
  'ports',
  'notPorts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
] as const;

function source(s: Partial<Record<(typeof sourceFields)[number], string[]>>): PolicySource {
  return pick(s, sourceFields);
}

function operation(o: Partial<Record<(typeof operationFields)[number], string[]>>): PolicyOperation {
  return pick(o, operationFields);
}

function pick<K extends string>(from: Partial<Record<K, string[]>>, keys: readonly K[]): Partial<Record<K, string[]>> {
  const out: Partial<Record<K, string[]>> = {};
  for (const k of keys) {
    const v = from[k];
    if (v?.length) out[k] = [...v];
  }
  return out;
}

const id = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
