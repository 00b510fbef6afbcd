// Benchmark results as printed rows: median, min and max of repeated measurements.
export interface Report {
  title: string;
  rows: string[];
}

export function summarize(what: string, values: number[], unit: string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(unit === 'ms' ? 0 : 1));
  return `${what.padEnd(44)} median ${fmt(median)} ${unit}  (min ${fmt(sorted[0])}, max ${fmt(sorted.at(-1))}, n=${values.length})`;
}

export function print(report: Report): void {
  console.log(`\n== ${report.title}`);
  for (const row of report.rows) console.log(`   ${row}`);
}

/** The p-th percentile of `xs` (the nearest rank below; the largest for p = 100). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
