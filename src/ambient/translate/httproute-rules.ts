// An HTTPRoute's rules → model RouteRules, one per match (so Gateway API's precedence can sort them across routes),
// and the first error its status must report under ResolvedRefs. A rule the model cannot express faithfully (a filter
// Ambit does not implement) keeps its matches but loses its backends: requests get an error instead of silently
// skipping the filter, as Gateway API requires.
import type { KubeObject } from '../../kube/objects.ts';
import type { Backend, HeaderFilter, RouteMatch, RouteRule } from '../../xds/model/model.ts';
import { resolveBackendRef } from './backends.ts';
import type { ClusterIndex } from './cluster-index.ts';
import { durationMs } from './duration.ts';
import { unusableRegexes } from './envoy-regex.ts';
import { jsonCopy } from './json-copy.ts';
import type { Filter, HeaderModifier, HTTPRouteSpec, Match, RequestRedirect, Rule } from './gateway-api.ts';

export interface RouteError {
  reason: string;
  message: string;
}

export interface ConvertedRoute {
  rules: RouteRule[];
  /** The first problem found, for the ResolvedRefs condition. */
  error?: RouteError;
}

// Gateway API's own retry defaults are implementation-specific; these are the ones istiod documents.
const retryConditions = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];
const defaultRetryAttempts = 2;

export function convertHttpRoute(route: KubeObject, index: ClusterIndex): ConvertedRoute {
  const spec = (route['spec'] ?? {}) as HTTPRouteSpec;
  const from = { kind: 'HTTPRoute', namespace: route.metadata.namespace ?? '' };
  const errors: RouteError[] = [];
  const rules = (spec.rules ?? [{}]).flatMap((rule, i) => {
    const actions = ruleActions(rule, from, index, errors);
    const matches = rule.matches?.length ? rule.matches : [{}];
    return matches.flatMap((m, j): RouteRule[] => {
      const match = toMatch(m);
      // A match Envoy would refuse is left out (the rest of the route still works) and reported.
      const unusable = unusableRegexes(match);
      if (unusable.length === 0) return [{ matches: [match], ...jsonCopy(actions) }];
      const at = `rules[${String(i)}].matches[${String(j)}]`;
      errors.push({ reason: 'UnsupportedValue', message: unusable.map((u) => `${at}.${u}`).join('; ') });
      return [];
    });
  });
  return errors[0] ? { rules, error: errors[0] } : { rules };
}

type Actions = Omit<RouteRule, 'matches'>;

function ruleActions(
  rule: Rule,
  from: { kind: string; namespace: string },
  index: ClusterIndex,
  errors: RouteError[],
): Actions {
  const backends: Backend[] = [];
  for (const ref of rule.backendRefs ?? []) {
    const resolved = resolveBackendRef(ref, from, index);
    if ('error' in resolved) errors.push(resolved.error);
    else if ((ref.filters?.length ?? 0) > 0)
      errors.push({ reason: 'InvalidFilter', message: 'filters on backendRefs are not supported' });
    else if (resolved.backend.weight > 0) backends.push(resolved.backend);
  }
  const unsupported = (rule.filters ?? []).find((f) => !supportedFilters.has(f.type));
  if (unsupported) {
    errors.push({ reason: 'InvalidFilter', message: `unsupported filter type "${unsupported.type}"` });
    return { backends: [] };
  }
  const out: Actions = { backends };
  for (const f of rule.filters ?? []) applyFilter(out, f);
  if (out.redirect) out.backends = [];
  Object.assign(out, timeouts(rule));
  return out;
}

const supportedFilters = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect']);

function applyFilter(out: Actions, f: Filter): void {
  if (f.type === 'RequestHeaderModifier' && f.requestHeaderModifier)
    out.requestHeaders = headerFilter(f.requestHeaderModifier);
  if (f.type === 'ResponseHeaderModifier' && f.responseHeaderModifier)
    out.responseHeaders = headerFilter(f.responseHeaderModifier);
  if (f.type === 'RequestRedirect' && f.requestRedirect) out.redirect = redirect(f.requestRedirect);
}

function headerFilter(m: HeaderModifier): HeaderFilter {
  return {
    ...(m.set?.length ? { set: m.set.map(({ name, value }) => ({ name, value })) } : {}),
    ...(m.add?.length ? { add: m.add.map(({ name, value }) => ({ name, value })) } : {}),
    ...(m.remove?.length ? { remove: [...m.remove] } : {}),
  };
}

function redirect(r: RequestRedirect): NonNullable<RouteRule['redirect']> {
  const path = r.path;
  const value = path?.type === 'ReplaceFullPath' ? path.replaceFullPath : path?.replacePrefixMatch;
  return {
    ...(r.scheme ? { scheme: r.scheme } : {}),
    ...(r.hostname ? { hostname: r.hostname } : {}),
    ...(r.port !== undefined ? { port: r.port } : {}),
    ...(path && value !== undefined ? { path: { type: path.type, value } } : {}),
    statusCode: r.statusCode ?? 302,
  };
}

// backendRequest bounds each try when there are retries, else the whole request (istiod's reading of the spec).
function timeouts(rule: Rule): Pick<Actions, 'timeoutMs' | 'retry'> {
  const request = durationMs(rule.timeouts?.request);
  const backend = durationMs(rule.timeouts?.backendRequest);
  if (!rule.retry) {
    const timeoutMs = backend ?? request;
    return timeoutMs === undefined ? {} : { timeoutMs };
  }
  const attempts = rule.retry.attempts ?? defaultRetryAttempts;
  const backoffMs = durationMs(rule.retry.backoff);
  const retry: NonNullable<RouteRule['retry']> = { attempts };
  if (backend !== undefined) retry.perTryTimeoutMs = backend;
  // Without attempts, retry conditions mean nothing.
  if (attempts > 0) retry.retryOn = [...retryConditions, ...(rule.retry.codes ?? []).map(String)].join(',');
  if (backoffMs !== undefined) retry.backoffMs = backoffMs;
  return request === undefined ? { retry } : { timeoutMs: request, retry };
}

function toMatch(m: Match): RouteMatch {
  const out: RouteMatch = { path: { type: m.path?.type ?? 'PathPrefix', value: m.path?.value ?? '/' } };
  // Header names are case-insensitive and query names are not; for both, the first of duplicates wins.
  const headers = firstOf(m.headers ?? [], (h) => h.name.toLowerCase());
  if (headers.length) out.headers = headers.map((h) => ({ name: h.name, match: stringMatch(h.type, h.value) }));
  const params = firstOf(m.queryParams ?? [], (q) => q.name);
  if (params.length) out.queryParams = params.map((q) => ({ name: q.name, match: stringMatch(q.type, q.value) }));
  if (m.method) out.method = m.method;
  return out;
}

const stringMatch = (type: string | undefined, value: string) =>
  type === 'RegularExpression' ? { type: 'RegularExpression' as const, value } : { type: 'Exact' as const, value };

function firstOf<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(key(i)) && seen.add(key(i)));
}
