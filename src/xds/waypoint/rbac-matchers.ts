// The leaves of an RBAC policy: Istio's AuthorizationPolicy values (with their `*` prefix/suffix wildcards) as Envoy
// matchers. Identities come from filter state, not from the TLS connection: main_internal's connections are
// internal ones, and connect_terminate copied the client's SPIFFE ID there (connect-state.ts).
import { isNamespacePattern } from '../../kube/namespace-pattern.ts';
import { isHeaderName } from '../../net/header-name.ts';
import { formatIp, parseCidr } from '../../net/ip.ts';
import { parsePort } from '../../net/port.ts';
import { PEER_PRINCIPAL_STATE } from './names.ts';
import type { Json } from './json.ts';

/** Envoy's StringMatcher for an Istio value: `*` alone is any non-empty value, `x*` a prefix, `*x` a suffix. */
export function wildcard(value: string, literalPrefix = ''): Json {
  if (value === '*') return { safeRegex: { regex: '.+' } };
  if (value.startsWith('*')) return { suffix: value.slice(1) };
  if (value.endsWith('*')) return { prefix: literalPrefix + value.slice(0, -1) };
  return { exact: literalPrefix + value };
}

const peer = (stringMatch: Json): Json => ({ filterState: { key: PEER_PRINCIPAL_STATE, stringMatch } });

/** `source.principals`: Istio writes SPIFFE IDs without the scheme. */
export const principalName = (value: string): Json => peer(wildcard(value, 'spiffe://'));

/**
 * `source.namespaces`: any service account of the namespace, in any trust domain; undefined for a value that is no
 * namespace (pattern), which also keeps the regex within Envoy's program-size limit (a longer one fails the listener).
 */
export function namespace(value: string): Json | undefined {
  if (!isNamespacePattern(value)) return undefined;
  const pattern = value
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return peer({ safeRegex: { regex: `spiffe://[^/]+/ns/${pattern}/sa/[^/]+` } });
}

/**
 * A CIDR or a single address as Envoy's CidrRange, or undefined for anything else: Envoy refuses a malformed
 * address with the whole listener update, so a bad value must never reach it (the rule then fails closed).
 */
export function cidr(value: string): Json | undefined {
  const parsed = parseCidr(value);
  if (!parsed) return undefined;
  return { addressPrefix: formatIp(parsed.bytes), prefixLen: parsed.length };
}

/**
 * The client's address. A connection into main_internal comes from the internal listener, so its direct peer is
 * an internal address; the tunnel's client is restored as the remote address (connect-state.ts), which the HTTP
 * chains use as is rather than reading X-Forwarded-For (chains.ts). So `remote.ip` is that address too.
 */
export function sourceIp(value: string): Json | undefined {
  const range = cidr(value);
  return range && { remoteIp: range };
}

export function destinationIp(value: string): Json | undefined {
  const range = cidr(value);
  return range && { destinationIp: range };
}

/** Hosts compare without case; `*.example.com` is a suffix. */
export function host(value: string): Json {
  if (value === '*') return { header: { name: ':authority', presentMatch: true } };
  return { header: { name: ':authority', stringMatch: { ...wildcard(value), ignoreCase: true } } };
}

export const method = (value: string): Json => ({ header: { name: ':method', stringMatch: { exact: value } } });

export function path(value: string): Json {
  return { urlPath: { path: value === '*' ? { safeRegex: { regex: '.*' } } : wildcard(value) } };
}

/** `request.headers[name]`; undefined for a name that is no header name (the rule then fails closed). */
export function header(name: string, value: string): Json | undefined {
  if (!isHeaderName(name)) return undefined;
  if (value === '*') return { header: { name, presentMatch: true } };
  return { header: { name, stringMatch: wildcard(value) } };
}

/** A port number, or undefined for something that is not one (the policy then cannot be evaluated). */
export function port(value: string): Json | undefined {
  const n = parsePort(value);
  return n === undefined ? undefined : { destinationPort: n };
}
