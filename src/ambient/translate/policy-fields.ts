// Which AuthorizationPolicy fields need HTTP (so ztunnel, which sees only L4, cannot enforce them), which the mesh
// model has no place for (so Ambit enforces the rule without them, failing closed), and which values are not what
// their field holds (an IP or CIDR, a port, a namespace, a header name): those are never handed to Envoy or ztunnel,
// and the rule fails closed.
import type { AuthorizationRule } from '../../api/istio/security.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { isNamespacePattern } from '../../kube/namespace-pattern.ts';
import { isHeaderName, requestHeaderKeyName } from '../../net/header-name.ts';
import { parseCidr } from '../../net/ip.ts';
import { parsePort } from '../../net/port.ts';

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

const isPort = (value: string) => parsePort(value) !== undefined;
const isCidr = (value: string) => parseCidr(value) !== undefined;

const addressWhenKeys = new Set(['source.ip', 'remote.ip', 'destination.ip']);

/** The values of one rule that are not what their field holds, each as `<field path> "<value>"`, in rule order. */
export function invalidValues(rule: AuthorizationRule, index: number): string[] {
  const found: string[] = [];
  const check = (path: string, values: unknown, valid: (v: string) => boolean) => {
    if (!Array.isArray(values)) return;
    for (const v of values as unknown[])
      if (typeof v !== 'string' || !valid(v)) found.push(`${path} ${JSON.stringify(v)}`);
  };
  (rule.from ?? []).forEach((from, i) => {
    for (const f of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const)
      check(`rules[${String(index)}].from[${String(i)}].source.${f}`, from.source?.[f], isCidr);
    for (const f of ['namespaces', 'notNamespaces'] as const)
      check(`rules[${String(index)}].from[${String(i)}].source.${f}`, from.source?.[f], isNamespacePattern);
  });
  (rule.to ?? []).forEach((to, i) => {
    for (const f of ['ports', 'notPorts'] as const)
      check(`rules[${String(index)}].to[${String(i)}].operation.${f}`, to.operation?.[f], isPort);
  });
  (rule.when ?? []).forEach((when, i) => {
    const headerName = requestHeaderKeyName(when.key);
    if (headerName !== undefined && !isHeaderName(headerName))
      found.push(`rules[${String(index)}].when[${String(i)}].key ${JSON.stringify(when.key)}`);
    const valid = addressWhenKeys.has(when.key)
      ? isCidr
      : when.key === 'destination.port'
        ? isPort
        : when.key === 'source.namespace'
          ? isNamespacePattern
          : undefined;
    if (!valid) return;
    check(`rules[${String(index)}].when[${String(i)}].values`, when.values, valid);
    check(`rules[${String(index)}].when[${String(i)}].notValues`, when.notValues, valid);
  });
  return found;
}
