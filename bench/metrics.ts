/** The figures `npm run bench` reports: issue 12's names, units and targets. */

/** A distribution (latencies) or a single figure (throughput, memory, a ratio), as `bench/results.json` holds it. */
export type Metric =
  | { name: string; unit: string; p50: number; p99: number; floor?: string; ratio?: Ratio }
  | { name: string; unit: string; value: number };

/** A latency's percentiles divided by its floor's (the same percentile), both measured in the same run. */
export interface Ratio {
  p50: number;
  p99: number;
}

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

/**
 * The floor a latency is held against (issue 26): the same bursts answered by a bare discord.js bot, the same
 * frames previewed and uploaded by a bare script, under the same load. Undefined for the others.
 */
export function floorOf(name: string): string | undefined {
  if (name.startsWith("ack_ms")) return name.replace("ack_ms", "ack_floor_ms");
  if (name.startsWith("partial_to_edit_ms_")) return name.replace("partial_to_edit_ms_", "preview_floor_ms_");
  return undefined;
}

const hundredths = (value: number) => Math.round(value * 100) / 100;

/** Each latency that has a floor measured in this run gets its floor's name and its ratio to it. */
export function withFloors(measured: readonly Measured[]): Measured[] {
  const byName = new Map(measured.map((entry) => [entry.metric.name, entry.metric]));
  return measured.map((entry) => {
    const floorName = floorOf(entry.metric.name);
    const floor = floorName === undefined ? undefined : byName.get(floorName);
    if (floor === undefined || !("p50" in floor) || !("p50" in entry.metric)) return entry;
    const ratio = {
      p50: hundredths(entry.metric.p50 / floor.p50),
      p99: hundredths(entry.metric.p99 / floor.p99),
    };
    return { ...entry, metric: { ...entry.metric, floor: floor.name, ratio } };
  });
}

/** Issue 12's targets, for the table's last column: the benchmark reports them, nothing fails on them. */
const TARGETS: Record<string, { p50?: number; p99?: number; value?: number }> = {
  ack_ms: { p99: 50 },
  partial_to_edit_ms_1536x1024: { p50: 20, p99: 60 },
  partial_to_edit_ms_3840x2160: { p50: 50 },
  bot_cpu_ms_per_job: { value: 8 },
  peak_rss_mb: { value: 300 },
  preview_bytes_ratio: { value: 1 / 3 },
};

/** Issue 26's targets against the floors, quiet and busy: the ack's p99, and partial-to-edit's p50 at every size. */
function ratioTarget(name: string): { p50?: number; p99?: number } | undefined {
  if (name.startsWith("ack_ms")) return { p99: 1.5 };
  if (name.startsWith("partial_to_edit_ms_")) return { p50: 1.3 };
  return undefined;
}

function verdict(metric: Metric): string {
  const target = TARGETS[metric.name] ?? {};
  const checks: string[] = [];
  const check = (what: string, value: number, bound: number) =>
    checks.push(`${what}< ${significant(bound)} ${value < bound ? "met" : "MISSED"}`);
  if ("value" in metric && target.value !== undefined) check("", metric.value, target.value);
  if ("p50" in metric) {
    if (target.p50 !== undefined) check("p50 ", metric.p50, target.p50);
    if (target.p99 !== undefined) check("p99 ", metric.p99, target.p99);
    const against = ratioTarget(metric.name);
    const ratio = metric.ratio;
    for (const percentile of ["p50", "p99"] as const) {
      const bound = against?.[percentile];
      if (bound === undefined || ratio === undefined) continue;
      checks.push(`${percentile} ≤ ${bound}x floor ${ratio[percentile] <= bound ? "met" : "MISSED"}`);
    }
  }
  return checks.join(", ");
}

/** The table printed at the end of a run. */
export function table(measured: readonly Measured[]): string {
  const rows = [["metric", "p50", "p99", "value", "unit", "n", "x floor (p50 / p99)", "target"]];
  for (const { metric, samples } of measured) {
    const spread =
      "p50" in metric ? [String(metric.p50), String(metric.p99), ""] : ["", "", String(metric.value)];
    const ratio = "ratio" in metric && metric.ratio ? `${metric.ratio.p50} / ${metric.ratio.p99}` : "";
    rows.push([metric.name, ...spread, metric.unit, String(samples), ratio, verdict(metric)]);
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
