// One AuthorizationPolicy rule as one Envoy RBAC policy. A rule is cut into parts (a field of a source or an
// operation, or a condition), each usable at L4, only at L7, or not at all here (JWT claims, path templates,
// unknown keys). A part that cannot be evaluated makes an ALLOW rule unmatchable (it grants nothing) and is dropped
// from a DENY rule (it denies more): either way the waypoint fails closed. TCP chains can evaluate L4 parts only.
import { requestHeaderKeyName } from '../../net/header-name.ts';
import type { PolicyCondition, PolicyOperation, PolicyRule, PolicySource } from '../model/model.ts';
import * as m from './rbac-matchers.ts';
import type { Json } from './json.ts';

type Side = 'principal' | 'permission';
type Part = { side: Side; what: string } & ({ layer: 'l4' | 'l7'; matcher: Json } | { layer: 'none' });

export interface RuleContext {
  action: 'ALLOW' | 'DENY';
  /** An HTTP chain (all parts) or a TCP one (L4 parts only). */
  http: boolean;
}

const or = (side: Side, matchers: Json[]): Json =>
  matchers.length === 1
    ? matchers[0]!
    : side === 'principal'
      ? { orIds: { ids: matchers } }
      : { orRules: { rules: matchers } };

const and = (side: Side, matchers: Json[]): Json => {
  if (matchers.length === 0) return { any: true };
  if (matchers.length === 1) return matchers[0]!;
  return side === 'principal' ? { andIds: { ids: matchers } } : { andRules: { rules: matchers } };
};

const not = (side: Side, matcher: Json): Json => (side === 'principal' ? { notId: matcher } : { notRule: matcher });

/** A field's values (any of) or its not-values (none of) as one part; nothing when the field is absent. */
function field(
  side: Side,
  what: string,
  layer: 'l4' | 'l7',
  values: string[] | undefined,
  negate: boolean,
  leaf: (v: string) => Json | undefined,
): Part[] {
  if (!values || values.length === 0) return [];
  const leaves: Json[] = [];
  for (const value of values) {
    const l = leaf(value);
    if (!l) return [{ side, what: `${what} ${JSON.stringify(value)}`, layer: 'none' }];
    leaves.push(l);
  }
  const matcher = or(side, leaves);
  return [{ side, what, layer, matcher: negate ? not(side, matcher) : matcher }];
}

function sourceParts(s: PolicySource): Part[] {
  const p = 'principal';
  return [
    ...field(p, 'principals', 'l4', s.principals, false, m.principalName),
    ...field(p, 'notPrincipals', 'l4', s.notPrincipals, true, m.principalName),
    ...field(p, 'namespaces', 'l4', s.namespaces, false, m.namespace),
    ...field(p, 'notNamespaces', 'l4', s.notNamespaces, true, m.namespace),
    ...field(p, 'ipBlocks', 'l4', s.ipBlocks, false, m.sourceIp),
    ...field(p, 'notIpBlocks', 'l4', s.notIpBlocks, true, m.sourceIp),
  ];
}

// Path templates ({*}, {**}) need Envoy's uri_template matcher, which this generator does not emit.
const pathLeaf = (v: string): Json | undefined => (v.includes('{') ? undefined : m.path(v));

function operationParts(o: PolicyOperation): Part[] {
  const p = 'permission';
  return [
    ...field(p, 'hosts', 'l7', o.hosts, false, m.host),
    ...field(p, 'notHosts', 'l7', o.notHosts, true, m.host),
    ...field(p, 'ports', 'l4', o.ports, false, m.port),
    ...field(p, 'notPorts', 'l4', o.notPorts, true, m.port),
    ...field(p, 'methods', 'l7', o.methods, false, m.method),
    ...field(p, 'notMethods', 'l7', o.notMethods, true, m.method),
    ...field(p, 'paths', 'l7', o.paths, false, pathLeaf),
    ...field(p, 'notPaths', 'l7', o.notPaths, true, pathLeaf),
  ];
}

type Leaf = (v: string) => Json | undefined;

/** What a `when` key matches: its side, layer and leaf; undefined for keys this waypoint cannot evaluate. */
function conditionKey(key: string): { side: Side; layer: 'l4' | 'l7'; leaf: Leaf } | undefined {
  const headerName = requestHeaderKeyName(key);
  if (headerName !== undefined) return { side: 'permission', layer: 'l7', leaf: (v) => m.header(headerName, v) };
  switch (key) {
    case 'source.ip':
    case 'remote.ip':
      return { side: 'principal', layer: 'l4', leaf: m.sourceIp };
    case 'source.namespace':
      return { side: 'principal', layer: 'l4', leaf: m.namespace };
    case 'source.principal':
      return { side: 'principal', layer: 'l4', leaf: m.principalName };
    case 'destination.ip':
      return { side: 'permission', layer: 'l4', leaf: m.destinationIp };
    case 'destination.port':
      return { side: 'permission', layer: 'l4', leaf: m.port };
    case 'connection.sni':
      return { side: 'permission', layer: 'l4', leaf: (v) => ({ requestedServerName: m.wildcard(v) }) };
    default:
      // request.auth.* needs JWT authentication; experimental.* and anything else is unknown here.
      return undefined;
  }
}

function conditionParts(c: PolicyCondition): Part[] {
  const k = conditionKey(c.key);
  if (!k) return [{ side: 'permission', what: `condition ${c.key}`, layer: 'none' }];
  return [
    ...field(k.side, `condition ${c.key}`, k.layer, c.values, false, k.leaf),
    ...field(k.side, `condition ${c.key} notValues`, k.layer, c.notValues, true, k.leaf),
  ];
}

/** The parts that apply here, or undefined when an ALLOW rule needs one that cannot be evaluated. */
function applicable(parts: Part[], ctx: RuleContext): Json[] | undefined {
  const kept: Json[] = [];
  for (const part of parts) {
    if (part.layer === 'l4' || (part.layer === 'l7' && ctx.http)) kept.push(part.matcher);
    else if (ctx.action === 'ALLOW') return undefined;
  }
  return kept;
}

/** Any of the sources (or operations), each all of its parts; undefined when none can match. */
function anyOfGroups(side: Side, groups: Part[][], ctx: RuleContext): Json | undefined {
  const matchers = groups.flatMap((g) => {
    const kept = applicable(g, ctx);
    return kept ? [and(side, kept)] : [];
  });
  return matchers.length === 0 ? undefined : or(side, matchers);
}

/** The RBAC policy for `rule`, or undefined when it can never match here (ALLOW only). */
export function rulePolicy(rule: PolicyRule, ctx: RuleContext): Json | undefined {
  const principals: Json[] = [];
  const permissions: Json[] = [];
  if (rule.from && rule.from.length > 0) {
    const from = anyOfGroups(
      'principal',
      rule.from.map((f) => sourceParts(f.source)),
      ctx,
    );
    if (!from) return undefined;
    principals.push(from);
  }
  if (rule.to && rule.to.length > 0) {
    const to = anyOfGroups(
      'permission',
      rule.to.map((t) => operationParts(t.operation)),
      ctx,
    );
    if (!to) return undefined;
    permissions.push(to);
  }
  const conditions = (rule.when ?? []).flatMap(conditionParts);
  for (const side of ['principal', 'permission'] as const) {
    const kept = applicable(
      conditions.filter((c) => c.side === side),
      ctx,
    );
    if (!kept) return undefined;
    (side === 'principal' ? principals : permissions).push(...kept);
  }
  return { permissions: [and('permission', permissions)], principals: [and('principal', principals)] };
}

/** The parts of `rule` this waypoint can never evaluate (for status). */
export function unevaluable(rule: PolicyRule): string[] {
  const parts = [
    ...(rule.from ?? []).flatMap((f) => sourceParts(f.source)),
    ...(rule.to ?? []).flatMap((t) => operationParts(t.operation)),
    ...(rule.when ?? []).flatMap(conditionParts),
  ];
  return [...new Set(parts.filter((p) => p.layer === 'none').map((p) => p.what))];
}
