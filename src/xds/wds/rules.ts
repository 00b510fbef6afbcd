// One AuthorizationPolicy rule as the L4 `Rules` ztunnel can evaluate (the rule's `Group`). ztunnel sees connections, not requests: it
// knows the peer's identity (principal, namespace), the source and destination IPs and the destination port, and
// nothing else. Each condition it cannot evaluate (HTTP methods, paths, hosts, request headers, JWT claims, or a
// value that does not parse) is replaced by "anything", so the rules match a superset of what the rule matches,
// exactly what it matches when nothing was unsupported. The caller decides what the superset means (see
// authorizations.ts).
import type { PolicyCondition, PolicyOperation, PolicyRule, PolicySource } from '../model/model.ts';
import { base64, parseCidr } from '../../net/ip.ts';
import { parsePort as port } from '../../net/port.ts';
import { compact, type Json } from './json.ts';

export interface L4Rule {
  /** `istio.security.Rules`, all of which must match (each matches when any of its matches does). */
  rules: Json[];
  /** What had to be widened to "anything", e.g. `to.operation.methods`, `when[request.headers[x-user]]`; sorted. */
  unsupported: string[];
}

export function l4Rule(rule: PolicyRule): L4Rule {
  const unsupported = new Set<string>();
  const rules: Json[] = [];
  const entries = [
    ...(rule.to?.length ? [rule.to.map(({ operation }) => operationMatch(operation))] : []),
    ...(rule.from?.length ? [rule.from.map(({ source }) => sourceMatch(source))] : []),
    ...(rule.when ?? []).map((condition) => [conditionMatch(condition)]),
  ];
  for (const matches of entries) {
    for (const m of matches) m.unsupported.forEach((u) => unsupported.add(u));
    // An entry that was only unsupported conditions matches anything, and so does its whole (OR-ed) Rules.
    const anything = matches.some((m) => m.unsupported.length > 0 && Object.keys(m.match).length === 0);
    if (!anything) rules.push({ matches: matches.map((m) => m.match) });
  }
  return { rules, unsupported: [...unsupported].sort() };
}

interface Converted {
  match: Json;
  unsupported: string[];
}

/** Builds one `istio.security.Match` from named fields, each of which may fail to convert. */
class MatchBuilder {
  readonly fields: Json = {};
  readonly unsupported: string[] = [];

  set(field: string, from: string, values: string[] | undefined, convert: (v: string) => unknown) {
    if (!values?.length) return;
    const converted = values.map(convert);
    // Dropping one value would narrow a positive list: drop the whole field instead (it then matches anything).
    if (converted.some((c) => c === undefined)) this.unsupported.push(from);
    else this.fields[field] = converted;
  }

  other(from: string) {
    this.unsupported.push(from);
  }

  done(): Converted {
    return { match: compact(this.fields), unsupported: this.unsupported };
  }
}

const sourceFields: Record<string, [string, (v: string) => unknown]> = {
  principals: ['principals', stringMatch],
  notPrincipals: ['notPrincipals', stringMatch],
  namespaces: ['namespaces', stringMatch],
  notNamespaces: ['notNamespaces', stringMatch],
  ipBlocks: ['sourceIps', cidr],
  notIpBlocks: ['notSourceIps', cidr],
};

const operationFields: Record<string, [string, (v: string) => unknown]> = {
  ports: ['destinationPorts', port],
  notPorts: ['notDestinationPorts', port],
};

/** Source and operation keys not listed above (hosts, methods, paths, requestPrincipals, …) are L7. */
function fieldsMatch(
  entry: PolicySource | PolicyOperation,
  prefix: string,
  known: Record<string, [string, (v: string) => unknown]>,
): Converted {
  const b = new MatchBuilder();
  for (const [key, values] of Object.entries(entry) as [string, string[] | undefined][]) {
    const target = known[key];
    if (target) b.set(target[0], `${prefix}.${key}`, values, target[1]);
    else if (values?.length) b.other(`${prefix}.${key}`);
  }
  return b.done();
}

const sourceMatch = (source: PolicySource) => fieldsMatch(source, 'from.source', sourceFields);
const operationMatch = (operation: PolicyOperation) => fieldsMatch(operation, 'to.operation', operationFields);

/** The `when` keys ztunnel can evaluate, and the Match fields they fill. */
const conditionKeys: Record<string, [string, string, (v: string) => unknown]> = {
  'source.principal': ['principals', 'notPrincipals', stringMatch],
  'source.namespace': ['namespaces', 'notNamespaces', stringMatch],
  'source.ip': ['sourceIps', 'notSourceIps', cidr],
  'destination.ip': ['destinationIps', 'notDestinationIps', cidr],
  'destination.port': ['destinationPorts', 'notDestinationPorts', port],
};

function conditionMatch(condition: PolicyCondition): Converted {
  const b = new MatchBuilder();
  const from = `when[${condition.key}]`;
  const target = conditionKeys[condition.key];
  if (!target) b.other(from);
  else {
    b.set(target[0], from, condition.values, target[2]);
    b.set(target[1], from, condition.notValues, target[2]);
  }
  return b.done();
}

/** Istio's string syntax: `*` is any non-empty value, a leading or trailing `*` a suffix or prefix match. */
export function stringMatch(value: string): Json {
  if (value === '*') return { presence: {} };
  if (value.startsWith('*')) return { suffix: value.slice(1) };
  if (value.endsWith('*')) return { prefix: value.slice(0, -1) };
  return { exact: value };
}

function cidr(value: string): Json | undefined {
  const parsed = parseCidr(value);
  return parsed && compact({ address: base64(parsed.bytes), length: parsed.length });
}
