// RBAC's own question, asked of rules on paper: which of the permissions in `wanted` does no rule in `held` allow?
// The API server asks it when the operator creates a role (it may grant only what it holds) and on every request.
import type { PolicyRule } from '../render/rbac.ts';

/** One permission a rule grants: group, resource (with subresource), verb and, if the rule names any, the object. */
export interface Permission {
  group: string;
  resource: string;
  verb: string;
  name?: string;
}

export function permissionsOf(rule: PolicyRule): Permission[] {
  const names: (string | undefined)[] = rule.resourceNames?.length ? rule.resourceNames : [undefined];
  return rule.apiGroups.flatMap((group) =>
    rule.resources.flatMap((resource) =>
      rule.verbs.flatMap((verb) => names.map((name) => ({ group, resource, verb, ...(name ? { name } : {}) }))),
    ),
  );
}

/** Whether `rule` allows `p`: a rule without resourceNames allows every object; ours never use `*`. */
export function allows(rule: PolicyRule, p: Permission): boolean {
  return (
    rule.apiGroups.includes(p.group) &&
    rule.resources.includes(p.resource) &&
    rule.verbs.includes(p.verb) &&
    (!rule.resourceNames?.length || (p.name !== undefined && rule.resourceNames.includes(p.name)))
  );
}

/** The permissions of `wanted` that no rule of `held` allows, as `group/resource verb [name]`. */
export function uncovered(wanted: PolicyRule[], held: PolicyRule[]): string[] {
  const missing = wanted
    .flatMap(permissionsOf)
    .filter((p) => !held.some((rule) => allows(rule, p)))
    .map((p) => `${p.group || 'core'}/${p.resource} ${p.verb}${p.name ? ` ${p.name}` : ''}`);
  return [...new Set(missing)];
}

/** Every `*` in a rule's groups, resources, verbs or names, as `field: value`. */
export function wildcards(rule: PolicyRule & { nonResourceURLs?: string[] }): string[] {
  return Object.entries(rule).flatMap(([field, values]) =>
    (values as string[]).filter((v) => v.includes('*')).map((v) => `${field}: ${v}`),
  );
}
