// RouteTable rules → Envoy routes as gRPC's xDS client reads them (gRFC A28 matching, A31 timeouts, A33 fault
// injection as a per-route override, A44 retries). gRPC ignores what it cannot use, so only those fields are set.
import type { Fault, RouteMatch, RouteRule, StringMatch } from '../model/model.ts';

/** Named by routes without a usable backend; never served, and never reached: the abort comes first. */
export const noBackendCluster = 'ambit-no-backend';

const faultType = 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault';

/** A percentage as Envoy's FractionalPercent; MILLION keeps fractional percents exact. */
export const fraction = (percent: number) =>
  Number.isInteger(percent)
    ? { numerator: percent, denominator: 'HUNDRED' }
    : { numerator: Math.round(percent * 10_000), denominator: 'MILLION' };

export const duration = (ms: number) => `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;

function stringMatcher(m: StringMatch): Record<string, unknown> {
  if (m.type === 'Exact') return { exact: m.value };
  if (m.type === 'Prefix') return { prefix: m.value };
  return { safeRegex: { regex: m.value } };
}

function routeMatch(m: RouteMatch | undefined): Record<string, unknown> {
  const path = m?.path;
  const base =
    path?.type === 'Exact'
      ? { path: path.value }
      : path?.type === 'RegularExpression'
        ? { safeRegex: { regex: path.value } }
        : { prefix: path?.value && path.value !== '/' ? path.value : '' };
  const headers = (m?.headers ?? []).map((h) => ({
    name: h.name,
    stringMatch: stringMatcher(h.match),
    ...(h.invert ? { invertMatch: true } : {}),
  }));
  if (m?.method) headers.push({ name: ':method', stringMatch: { exact: m.method } });
  const query = (m?.queryParams ?? []).map((q) => ({ name: q.name, stringMatch: stringMatcher(q.match) }));
  return { ...base, ...(headers.length ? { headers } : {}), ...(query.length ? { queryParameters: query } : {}) };
}

export function faultConfig(f: Fault): Record<string, unknown> {
  return {
    '@type': faultType,
    ...(f.delay
      ? { delay: { fixedDelay: duration(f.delay.fixedDelayMs), percentage: fraction(f.delay.percent) } }
      : {}),
    ...(f.abort
      ? {
          abort: {
            ...(f.abort.grpcStatus !== undefined
              ? { grpcStatus: f.abort.grpcStatus }
              : { httpStatus: f.abort.httpStatus ?? 503 }),
            percentage: fraction(f.abort.percent),
          },
        }
      : {}),
  };
}

/** Routes for one rule: one per match (a rule without matches matches everything). */
export function grpcRoutes(rule: RouteRule, clusterFor: (host: string, port: number) => string): object[] {
  const backends = rule.backends.filter((b) => b.weight > 0);
  const action: Record<string, unknown> =
    backends.length === 1 && backends[0]
      ? { cluster: clusterFor(backends[0].host, backends[0].port) }
      : {
          weightedClusters: { clusters: backends.map((b) => ({ name: clusterFor(b.host, b.port), weight: b.weight })) },
        };
  if (rule.timeoutMs !== undefined) action['timeout'] = duration(rule.timeoutMs);
  if (rule.retry)
    action['retryPolicy'] = {
      retryOn: rule.retry.retryOn ?? 'unavailable',
      numRetries: rule.retry.attempts,
      ...(rule.retry.backoffMs ? { retryBackOff: { baseInterval: duration(rule.retry.backoffMs) } } : {}),
    };
  const perFilter = rule.fault ? { typedPerFilterConfig: { 'envoy.filters.http.fault': faultConfig(rule.fault) } } : {};
  // No usable backend: gRPC has no direct responses, so a 100% abort with UNAVAILABLE stands in for Gateway API's 500.
  const noBackend = backends.length === 0;
  const route = noBackend
    ? {
        route: { cluster: noBackendCluster },
        typedPerFilterConfig: {
          'envoy.filters.http.fault': faultConfig({ abort: { grpcStatus: 14, percent: 100 } }),
        },
      }
    : { route: action, ...perFilter };
  const matches = rule.matches.length ? rule.matches : [undefined];
  return matches.map((m) => ({ match: routeMatch(m), ...route }));
}
