/**
 * BullMQ's metrics of several queues as one exposition: each queue's text names the same metric families
 * (`bullmq_job_count`, …) with its own `queue` label, and the text format wants each family once, its HELP and
 * TYPE lines first and all of its samples together. (BullMQ's samples are named as their family: gauges and
 * counters, no histograms.)
 */
export function mergePrometheusTexts(texts: readonly string[]): string {
  const families = new Map<string, { comments: string[]; samples: string[] }>();
  for (const line of texts.flatMap((text) => text.split("\n"))) {
    if (line.trim() === "") continue;
    const comment = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    const name = comment?.[1] ?? /^[^{\s]+/.exec(line)?.[0] ?? line;
    const family = families.get(name) ?? { comments: [], samples: [] };
    families.set(name, family);
    if (comment === null) family.samples.push(line);
    else if (!family.comments.includes(line)) family.comments.push(line);
  }
  return [...families.values()].flatMap((family) => [...family.comments, ...family.samples]).join("\n");
}
