// Which AuthorizationPolicy fields need HTTP (so ztunnel, which sees only L4, cannot enforce them) and which the mesh
// model has no place for (so Ambit enforces the rule without them, failing closed).
import type { AuthorizationRule } from '../../api/istio/security.ts';
import type { KubeObject } from '../../kube/objects.ts';

export const dryRunAnnotation = 'istio.io/dry-run';

/** istio.io/dry-run: evaluate and log only. The model has no shadow mode, so Ambit does not enforce such a policy. */
export function isDryRun(obj: KubeObject): boolean {
  return (obj.metadata.annotations?.[dryRunAnnotation] ?? '').toLowerCase() === 'true';
}

const httpOperationFields = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const httpSourceFields = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const;

/** Source fields `PolicySource` does not carry. */
export const unmodelledSourceFields = [
  ...httpSourceFields,
  'serviceAccounts',
  'notServiceAccounts',
  'trustDomains',
  'notTrustDomains',
] as const;

/** `when` keys ztunnel can evaluate; any other key is an HTTP attribute. */
const l4WhenKeys = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

const set = (v: unknown) => Array.isArray(v) && v.length > 0;

/** The HTTP-only attributes the rules use, sorted and each once (for ZtunnelAccepted). */
export function httpAttributes(rules: AuthorizationRule[]): string[] {
  const found = new Set<string>();
  for (const rule of rules) {
    for (const to of rule.to ?? []) for (const f of httpOperationFields) if (set(to.operation?.[f])) found.add(f);
    for (const from of rule.from ?? []) for (const f of httpSourceFields) if (set(from.source?.[f])) found.add(f);
    for (const when of rule.when ?? []) if (!l4WhenKeys.has(when.key)) found.add(when.key);
  }
  return [...found].sort();
}

/** The source fields of one rule that the model cannot hold. */
export function unmodelledFields(rule: AuthorizationRule): string[] {
  const found = new Set<string>();
  for (const from of rule.from ?? []) for (const f of unmodelledSourceFields) if (set(from.source?.[f])) found.add(f);
  return [...found].sort();
}
