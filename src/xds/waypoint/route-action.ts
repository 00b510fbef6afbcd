// The parts of a route rule besides its match: where it goes (one cluster, a weighted split, a redirect, or a 500
// when no backend is valid, as Gateway API asks), and how (timeout, retries, header changes).
import type { Backend, HeaderFilter, RouteRule } from '../model/model.ts';
import { duration, type Json } from './json.ts';

/** The cluster for a backend, or undefined when it names no Service port (an invalid backend). */
export type ClusterFor = (backend: Backend) => string | undefined;

const redirectCodes: Record<number, string> = {
  301: 'MOVED_PERMANENTLY',
  302: 'FOUND',
  303: 'SEE_OTHER',
  307: 'TEMPORARY_REDIRECT',
  308: 'PERMANENT_REDIRECT',
};

function redirect(r: NonNullable<RouteRule['redirect']>): Json {
  const code = redirectCodes[r.statusCode] ?? 'FOUND';
  return {
    ...(r.scheme ? { schemeRedirect: r.scheme } : {}),
    ...(r.hostname ? { hostRedirect: r.hostname } : {}),
    ...(r.port ? { portRedirect: r.port } : {}),
    ...(r.path?.type === 'ReplaceFullPath' ? { pathRedirect: r.path.value } : {}),
    ...(r.path?.type === 'ReplacePrefixMatch' ? { prefixRewrite: r.path.value } : {}),
    responseCode: code,
  };
}

const directResponse500 = (): Json => ({ directResponse: { status: 500 } });

/** No cluster has this name: a split's share for an invalid backend is answered 500, as Gateway API asks. */
const invalidBackend = (b: Backend): string => `invalid-backend|${b.port}|${b.host}`;

function routeTarget(rule: RouteRule, clusterFor: ClusterFor): Json {
  // Weight 0 takes no traffic.
  const shares = rule.backends.filter((b) => b.weight > 0).map((b) => ({ name: clusterFor(b), backend: b }));
  const first = shares[0];
  if (!shares.some((s) => s.name !== undefined) || !first) return directResponse500();
  const target =
    shares.length === 1
      ? { cluster: first.name }
      : {
          weightedClusters: {
            clusters: shares.map((s) => ({
              name: s.name ?? invalidBackend(s.backend),
              weight: s.backend.weight,
            })),
          },
        };
  const retry = rule.retry;
  return {
    route: {
      ...target,
      ...(shares.some((s) => s.name === undefined) ? { clusterNotFoundResponseCode: 'INTERNAL_SERVER_ERROR' } : {}),
      // 0s is no timeout, istiod's default.
      timeout: duration(rule.timeoutMs ?? 0),
      ...(retry
        ? {
            retryPolicy: {
              retryOn: retry.retryOn ?? 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
              numRetries: retry.attempts,
              ...(retry.perTryTimeoutMs ? { perTryTimeout: duration(retry.perTryTimeoutMs) } : {}),
              ...(retry.backoffMs ? { retryBackOff: { baseInterval: duration(retry.backoffMs) } } : {}),
            },
          }
        : {}),
    },
  };
}

/** A rule without backends: a redirect, or a 500 (a fault on it still applies first). */
export function routeAction(rule: RouteRule, clusterFor: ClusterFor): Json {
  if (rule.redirect) return { redirect: redirect(rule.redirect) };
  if (rule.backends.length === 0) return directResponse500();
  return routeTarget(rule, clusterFor);
}

function headerOptions(filter: HeaderFilter | undefined, prefix: 'request' | 'response'): Json {
  if (!filter) return {};
  const add = [
    ...(filter.set ?? []).map((h) => ({
      header: { key: h.name, value: h.value },
      appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD',
    })),
    ...(filter.add ?? []).map((h) => ({
      header: { key: h.name, value: h.value },
      appendAction: 'APPEND_IF_EXISTS_OR_ADD',
    })),
  ];
  const remove = filter.remove ?? [];
  return {
    ...(add.length > 0 ? { [`${prefix}HeadersToAdd`]: add } : {}),
    ...(remove.length > 0 ? { [`${prefix}HeadersToRemove`]: remove } : {}),
  };
}

export const headerChanges = (rule: RouteRule): Json => ({
  ...headerOptions(rule.requestHeaders, 'request'),
  ...headerOptions(rule.responseHeaders, 'response'),
});
