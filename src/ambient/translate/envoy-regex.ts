// Regular expressions as Envoy takes them (RE2, through safe_regex): one that RE2 cannot parse, or whose compiled
// program exceeds Envoy's default limit of 100, makes Envoy refuse the whole route configuration it is in. re2js
// (RE2's syntax) parses them here; its program sizes run 2–4 below RE2's, so a margin keeps clear of the limit.
import { RE2JS } from 're2js';
import type { RouteMatch } from '../../xds/model/model.ts';

const maxProgramSize = 96;

/** Why Envoy would refuse `value` as a regular expression; undefined when it takes it. */
export function regexProblem(value: string): string | undefined {
  if (value === '') return 'an empty regular expression (Envoy requires one)';
  let size: number;
  try {
    size = RE2JS.compile(value).programSize();
  } catch (e) {
    return `not a regular expression Envoy (RE2) accepts: ${(e as Error).message}`;
  }
  return size > maxProgramSize
    ? `a regular expression too large for Envoy (a program of about ${String(size)} instructions; at most 100)`
    : undefined;
}

/** The regular expressions of a match that Envoy would refuse, each as `<field> "<value>": <why>`. */
export function unusableRegexes(match: RouteMatch): string[] {
  const found: string[] = [];
  const check = (field: string, m: { type: string; value: string } | undefined) => {
    if (m?.type !== 'RegularExpression') return;
    const problem = regexProblem(m.value);
    if (problem) found.push(`${field} ${JSON.stringify(m.value)}: ${problem}`);
  };
  check('path', match.path);
  match.headers?.forEach((h, i) => check(`headers[${String(i)}]`, h.match));
  match.queryParams?.forEach((q, i) => check(`queryParams[${String(i)}]`, q.match));
  return found;
}
