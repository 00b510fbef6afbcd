// HTTPRoute / VirtualService matches as Envoy RouteMatch. Gateway API's PathPrefix matches whole path segments
// (`/foo` matches `/foo` and `/foo/bar`, not `/foobar`; a trailing slash is ignored): Envoy's path_separated_prefix.
import type { RouteMatch, StringMatch } from '../model/model.ts';
import type { Json } from './json.ts';

function stringMatch(match: StringMatch): Json {
  switch (match.type) {
    case 'Exact':
      return { exact: match.value };
    case 'Prefix':
      return { prefix: match.value };
    case 'RegularExpression':
      return { safeRegex: { regex: match.value } };
  }
}

function pathMatch(path: RouteMatch['path']): Json {
  if (!path) return { prefix: '/' };
  switch (path.type) {
    case 'Exact':
      return { path: path.value };
    case 'PathPrefix': {
      const trimmed = path.value.replace(/\/+$/, '');
      return trimmed === '' ? { prefix: '/' } : { pathSeparatedPrefix: trimmed };
    }
    case 'RegularExpression':
      return { safeRegex: { regex: path.value } };
  }
}

export function routeMatch(match: RouteMatch): Json {
  const headers: Json[] = (match.headers ?? []).map((h) => ({
    name: h.name,
    stringMatch: stringMatch(h.match),
    ...(h.invert ? { invertMatch: true } : {}),
  }));
  if (match.method) headers.push({ name: ':method', stringMatch: { exact: match.method } });
  const queryParameters = (match.queryParams ?? []).map((q) => ({ name: q.name, stringMatch: stringMatch(q.match) }));
  return {
    ...pathMatch(match.path),
    ...(headers.length > 0 ? { headers } : {}),
    ...(queryParameters.length > 0 ? { queryParameters } : {}),
  };
}

/** A match that takes every request: routes after it can never be reached. */
export const isCatchAll = (match: RouteMatch): boolean =>
  (!match.path || (match.path.type === 'PathPrefix' && match.path.value.replace(/\/+$/, '') === '')) &&
  !match.headers?.length &&
  !match.queryParams?.length &&
  !match.method;
