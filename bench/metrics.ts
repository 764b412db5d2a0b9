/** The figures `npm run bench` reports: issue 12's names, units and targets. */

/** A distribution (latencies) or a single figure (throughput, memory, a ratio), as `bench/results.json` holds it. */
export type Metric =
  | { name: string; unit: string; p50: number; p99: number }
  | { name: string; unit: string; value: number };

/** A metric with how many samples it rests on, for the table (results.json keeps the metric alone). */
export interface Measured {
  metric: Metric;
  samples: number;
}

/** Nearest-rank percentile: with 24 samples, p99 is the largest. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Latencies to a tenth of a millisecond (the clock's resolution is finer, the machine's noise far coarser). */
const tenths = (value: number) => Math.round(value * 10) / 10;
const significant = (value: number) => Number(value.toPrecision(4));

export function distribution(name: string, unit: string, samples: readonly number[]): Measured {
  return {
    metric: { name, unit, p50: tenths(percentile(samples, 50)), p99: tenths(percentile(samples, 99)) },
    samples: samples.length,
  };
}

export function figure(name: string, unit: string, value: number, samples: number): Measured {
  return { metric: { name, unit, value: significant(value) }, samples };
}

/** Issue 12's targets, for the table's last column: the benchmark reports them, nothing fails on them. */
const TARGETS: Record<string, { p50?: number; p99?: number; value?: number }> = {
  ack_ms: { p99: 50 },
  partial_to_edit_ms_1536x1024: { p50: 20, p99: 60 },
  partial_to_edit_ms_3840x2160: { p50: 50 },
  bot_cpu_ms_per_job: { value: 10 },
  peak_rss_mb: { value: 300 },
  preview_bytes_ratio: { value: 1 / 3 },
};

function verdict(metric: Metric): string {
  const target = TARGETS[metric.name];
  if (target === undefined) return "";
  const checks: [string, number, number][] = [];
  if ("value" in metric && target.value !== undefined) checks.push(["", metric.value, target.value]);
  if ("p50" in metric) {
    if (target.p50 !== undefined) checks.push(["p50 ", metric.p50, target.p50]);
    if (target.p99 !== undefined) checks.push(["p99 ", metric.p99, target.p99]);
  }
  return checks
    .map(([what, value, bound]) => `${what}< ${significant(bound)} ${value < bound ? "met" : "MISSED"}`)
    .join(", ");
}

/** The table printed at the end of a run. */
export function table(measured: readonly Measured[]): string {
  const rows = [["metric", "p50", "p99", "value", "unit", "n", "target"]];
  for (const { metric, samples } of measured) {
    const spread =
      "p50" in metric ? [String(metric.p50), String(metric.p99), ""] : ["", "", String(metric.value)];
    rows.push([metric.name, ...spread, metric.unit, String(samples), verdict(metric)]);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
