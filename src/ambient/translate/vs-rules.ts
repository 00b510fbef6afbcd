// One VirtualService `http[]` entry → a model RouteRule on one Service port: destinations (short hosts resolved in the
// VirtualService's namespace), fault injection, timeout, retries, header operations and redirect. A destination that
// is not a known Service or ServiceEntry host is dropped, so a rule left with none answers 500.
import type { HTTPRoute as VsHttp } from '../../api/istio/virtual-service.ts';
import type { Backend, Fault, HeaderFilter, RouteRule } from '../../xds/model/model.ts';
import { serviceHostname, type ClusterIndex } from './cluster-index.ts';
import { durationMs } from './duration.ts';
import { unusableRegexes } from './envoy-regex.ts';
import { grpcStatusCode } from './grpc-status.ts';
import { vsMatches } from './vs-match.ts';

/** `name` alone is a Service in `namespace`; anything with a dot is taken as a hostname. */
export const resolveVsHost = (host: string, namespace: string, clusterDomain: string) =>
  host.includes('.') || host.includes('*') ? host : serviceHostname(host, namespace, clusterDomain);

export function vsRule(http: VsHttp, namespace: string, port: number, index: ClusterIndex): RouteRule | undefined {
  const all = vsMatches(http, port);
  if (!all) return undefined;
  // A match with a regular expression Envoy would refuse can match nothing; a rule left without matches is dropped
  // rather than becoming one that matches everything.
  const matches = all.filter((m) => unusableRegexes(m).length === 0);
  if (all.length > 0 && matches.length === 0) return undefined;
  const rule: RouteRule = { matches, backends: http.redirect ? [] : backends(http, namespace, port, index) };
  const request = headerFilter(http.headers?.request);
  if (request) rule.requestHeaders = request;
  const response = headerFilter(http.headers?.response);
  if (response) rule.responseHeaders = response;
  if (http.redirect) {
    const r = http.redirect;
    rule.redirect = {
      ...(r.scheme ? { scheme: r.scheme } : {}),
      ...(r.authority ? { hostname: r.authority } : {}),
      ...(r.port !== undefined ? { port: r.port } : {}),
      ...(r.uri ? { path: { type: 'ReplaceFullPath' as const, value: r.uri } } : {}),
      statusCode: r.redirectCode ?? 301,
    };
  }
  const timeoutMs = durationMs(http.timeout);
  if (timeoutMs !== undefined) rule.timeoutMs = timeoutMs;
  if (http.retries) rule.retry = retry(http.retries);
  const fault = http.fault && toFault(http.fault);
  if (fault) rule.fault = fault;
  return rule;
}

// One destination takes all traffic whatever its weight; among several, weight 0 means none (as istiod).
function backends(http: VsHttp, namespace: string, port: number, index: ClusterIndex): Backend[] {
  const routes = http.route ?? [];
  return routes.flatMap((r) => {
    const host = resolveVsHost(r.destination.host, namespace, index.clusterDomain);
    const ports = index.hostPorts(host);
    const weight = routes.length === 1 ? 100 : (r.weight ?? 0);
    if (!ports || weight <= 0) return [];
    // Without a port, a single-port Service is reached on that port, else on the port the request came in on.
    const target = r.destination.port?.number ?? (ports.length === 1 ? (ports[0] ?? port) : port);
    return [{ host, port: target, weight }];
  });
}

function headerFilter(
  ops: { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] } | undefined,
) {
  if (!ops) return undefined;
  const list = (m: Record<string, string> | undefined) =>
    Object.entries(m ?? {}).map(([name, value]) => ({ name, value }));
  const out: HeaderFilter = {};
  if (list(ops.set).length) out.set = list(ops.set);
  if (list(ops.add).length) out.add = list(ops.add);
  if (ops.remove?.length) out.remove = [...ops.remove];
  return Object.keys(out).length ? out : undefined;
}

// Attempts 0 (or unset) switches retries off, as istiod reads it.
function retry(r: NonNullable<VsHttp['retries']>): NonNullable<RouteRule['retry']> {
  const perTry = durationMs(r.perTryTimeout);
  const backoff = durationMs(r.backoff);
  return {
    attempts: Math.max(0, Math.trunc(r.attempts ?? 0)),
    ...(perTry !== undefined ? { perTryTimeoutMs: perTry } : {}),
    ...(r.retryOn ? { retryOn: r.retryOn } : {}),
    ...(backoff !== undefined ? { backoffMs: backoff } : {}),
  };
}

type VsFault = NonNullable<VsHttp['fault']>;

// A fault without a percentage applies to every request; one outside 0–100 is held to it (Envoy refuses it).
const percent = (p: { percentage?: { value?: number }; percent?: number }) =>
  Math.min(100, Math.max(0, p.percentage?.value ?? p.percent ?? 100));

function toFault(f: VsFault): Fault | undefined {
  const out: Fault = {};
  const delayMs = durationMs(f.delay?.fixedDelay);
  if (f.delay && delayMs !== undefined) out.delay = { fixedDelayMs: delayMs, percent: percent(f.delay) };
  const abort = f.abort;
  // Envoy aborts only with an HTTP status of 200–599.
  if (abort?.httpStatus !== undefined && abort.httpStatus >= 200 && abort.httpStatus < 600)
    out.abort = { httpStatus: abort.httpStatus, percent: percent(abort) };
  const grpc = grpcStatusCode(abort?.grpcStatus);
  if (abort && abort.httpStatus === undefined && grpc !== undefined)
    out.abort = { grpcStatus: grpc, percent: percent(abort) };
  return out.delay || out.abort ? out : undefined;
}
