// Durations as Istio's environment variables take them (Go's time.ParseDuration: "24h", "90m", "1h30m", "2160h").

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Seconds in a Go duration of h/m/s parts; throws a UsageError-worthy message otherwise. */
export function parseGoDuration(name: string, text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([hms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`${name}="${text}" is not a duration such as 24h, 90m or 1h30m`);
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (unitSeconds[p[2] ?? ''] ?? 0), 0);
  if (seconds <= 0) throw new Error(`${name}="${text}" must be longer than zero`);
  return seconds;
}
