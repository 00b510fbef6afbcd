// AuthorizationPolicies as Envoy RBAC filters, one filter per action: DENY before ALLOW, as Istio evaluates them.
// An ALLOW filter with no policy left denies everything (an ALLOW policy with no rules allows nothing); a DENY filter
// with none would deny nothing, so it is left out.
import type { AuthorizationPolicy } from '../model/model.ts';
import { filters } from './names.ts';
import { any, type Json } from './json.ts';
import { enforced } from './policies.ts';
import { rulePolicy } from './rbac-rules.ts';

/** The `rules` of one RBAC filter per action present, DENY first. */
function rbacRules(policies: AuthorizationPolicy[], http: boolean): Json[] {
  const out: Json[] = [];
  for (const action of ['DENY', 'ALLOW'] as const) {
    const mine = enforced(policies).filter((p) => p.action === action);
    if (mine.length === 0) continue;
    const entries: Json = {};
    for (const policy of mine) {
      policy.rules.forEach((rule, i) => {
        const translated = rulePolicy(rule, { action, http });
        if (translated) entries[`ns[${policy.namespace}]-policy[${policy.name}]-rule[${i}]`] = translated;
      });
    }
    if (action === 'DENY' && Object.keys(entries).length === 0) continue;
    out.push({ action, policies: entries });
  }
  return out;
}

export function httpRbacFilters(policies: AuthorizationPolicy[]): Json[] {
  return rbacRules(policies, true).map((rules) => ({
    name: filters.httpRbac,
    typedConfig: any('envoy.extensions.filters.http.rbac.v3.RBAC', { rules }),
  }));
}

export function networkRbacFilters(policies: AuthorizationPolicy[]): Json[] {
  return rbacRules(policies, false).map((rules) => ({
    name: filters.networkRbac,
    typedConfig: any('envoy.extensions.filters.network.rbac.v3.RBAC', { rules, statPrefix: 'tcp.' }),
  }));
}
