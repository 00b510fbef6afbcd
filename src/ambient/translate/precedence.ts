// Gateway API's order for the rules of the HTTPRoutes on one host: exact path before prefix (longer first) before
// regular expression, then a method match, then more header matches, then more query-parameter matches. Ties keep the
// order they came in (oldest route first, then namespace/name, then rule order), so the sort must be stable.
import type { RouteMatch, RouteRule } from '../../xds/model/model.ts';

const pathRank: Record<string, number> = { Exact: 3, PathPrefix: 2, RegularExpression: 1 };

// Each HTTPRoute rule is split into one rule per match before sorting, so only the first match counts.
export function compareRules(a: RouteRule, b: RouteRule): number {
  const ma = a.matches[0];
  const mb = b.matches[0];
  if (!ma || !mb) return (ma ? 0 : 1) - (mb ? 0 : 1);
  return (
    rank(mb) - rank(ma) ||
    (mb.path?.value.length ?? 0) - (ma.path?.value.length ?? 0) ||
    Number(mb.method !== undefined) - Number(ma.method !== undefined) ||
    (mb.headers?.length ?? 0) - (ma.headers?.length ?? 0) ||
    (mb.queryParams?.length ?? 0) - (ma.queryParams?.length ?? 0)
  );
}

const rank = (m: RouteMatch) => (m.path ? (pathRank[m.path.type] ?? 0) : -1);

/** Whether the rule matches every request, so nothing after it in a table can ever match. */
export function isCatchAll(rule: RouteRule): boolean {
  return rule.matches.length === 0 || rule.matches.some(matchesEverything);
}

function matchesEverything(m: RouteMatch): boolean {
  if ((m.headers?.length ?? 0) > 0 || (m.queryParams?.length ?? 0) > 0 || m.method !== undefined) return false;
  const p = m.path;
  return (
    p === undefined ||
    (p.type === 'PathPrefix' && p.value === '/') ||
    (p.type === 'RegularExpression' && (p.value === '.*' || p.value === '/.*'))
  );
}
