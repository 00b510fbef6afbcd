// Durations as Gateway API and Istio write them: Go-style sequences of number+unit ("1h30m", "1.5s", "100ms"). The
// protobuf JSON form ("5s", "0.100s") is a special case of the same grammar.

const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
const part = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/gy;

/** The longest protobuf Duration (10,000 years), hence the longest Envoy takes. */
const maxDurationMs = 315_576_000_000 * 1000;

/** Milliseconds (rounded), or undefined when the text is not a duration Envoy can hold. */
export function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (trimmed === '') return undefined;
  part.lastIndex = 0;
  let total = 0;
  while (part.lastIndex < trimmed.length) {
    const m = part.exec(trimmed);
    if (!m) return undefined;
    total += Number(m[1]) * (unitMs[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) && total <= maxDurationMs ? Math.round(total) : undefined;
}
