// VirtualService `http[].match` → model RouteMatches for one Service port. Matches that cannot apply on a waypoint are
// dropped as istiod drops them: another port, a gateway other than `mesh`, and source labels or namespaces (ambient
// cannot tell the source pod's labels). An entry whose every match was dropped does not apply at all.
import type { HTTPRoute as VsHttp } from '../../api/istio/virtual-service.ts';
import type { RouteMatch, StringMatch } from '../../xds/model/model.ts';

type VsMatch = NonNullable<VsHttp['match']>[number];
type VsStringMatch = NonNullable<VsMatch['uri']>;

/** The entry's matches on `port`: [] matches everything, undefined means the entry does not apply. */
export function vsMatches(http: VsHttp, port: number): RouteMatch[] | undefined {
  const matches = http.match ?? [];
  if (matches.length === 0) return [];
  const kept = matches.filter((m) => applies(m, port)).map(toMatch);
  return kept.length ? kept : undefined;
}

function applies(m: VsMatch, port: number): boolean {
  if (m.port !== undefined && m.port !== port) return false;
  if (m.gateways?.length && !m.gateways.includes('mesh')) return false;
  return Object.keys(m.sourceLabels ?? {}).length === 0 && !m.sourceNamespace;
}

function toMatch(m: VsMatch): RouteMatch {
  const out: RouteMatch = {};
  const path = m.uri && pathMatch(m.uri);
  if (path) out.path = path;
  const headers = [
    ...Object.entries(m.headers ?? {}).map(([name, v]) => ({ name, match: stringMatch(v) })),
    ...Object.entries(m.withoutHeaders ?? {}).map(([name, v]) => ({ name, match: stringMatch(v), invert: true })),
    ...pseudoHeader(':authority', m.authority),
    ...pseudoHeader(':scheme', m.scheme),
  ];
  // The model's method is an exact name; a prefix or regex on the method becomes a :method header match.
  if (m.method?.exact !== undefined) out.method = m.method.exact;
  else headers.push(...pseudoHeader(':method', m.method));
  if (headers.length) out.headers = headers;
  const params = Object.entries(m.queryParams ?? {}).map(([name, v]) => ({ name, match: stringMatch(v) }));
  if (params.length) out.queryParams = params;
  return out;
}

const pseudoHeader = (name: string, v: VsStringMatch | undefined) => (v ? [{ name, match: stringMatch(v) }] : []);

// An empty StringMatch asks only that the header be present: any value, including "".
function stringMatch(v: VsStringMatch): StringMatch {
  if (v.exact !== undefined) return { type: 'Exact', value: v.exact };
  if (v.prefix !== undefined) return { type: 'Prefix', value: v.prefix };
  if (v.regex !== undefined) return { type: 'RegularExpression', value: v.regex };
  return { type: 'RegularExpression', value: '.*' };
}

// VirtualService prefixes are plain string prefixes, while the model's PathPrefix is Gateway API's (whole path
// segments): "/api" must match "/apis" here. Only "/" means the same in both; others become an anchored regex.
function pathMatch(v: VsStringMatch): RouteMatch['path'] {
  if (v.exact !== undefined) return { type: 'Exact', value: v.exact };
  if (v.prefix === '/') return { type: 'PathPrefix', value: '/' };
  if (v.prefix !== undefined) return { type: 'RegularExpression', value: `${escapeRegex(v.prefix)}.*` };
  if (v.regex !== undefined) return { type: 'RegularExpression', value: v.regex };
  return undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
