import type { StudioRun } from "../../src/platforms/web/studio-api.js";
import type { RunCard } from "./run-card.js";

/**
 * Plays a stored run again on its card: its partials then its finals, at the pace they first came
 * (`timings`), from the run folder alone: nothing is asked of OpenAI.
 */
export function replay(card: RunCard, run: StudioRun, signal: AbortSignal): Promise<void> {
  card.reset();
  card.replaying();
  const first = run.timings.firstPartialMs ?? 0;
  const total = Math.max(run.timings.totalMs ?? first, first);
  // Partials came between the first one and the final: spread evenly there, as only those two times are kept.
  const step = run.partials.length > 0 ? (total - first) / run.partials.length : 0;
  const steps: [number, () => void][] = run.partials.map((src, index) => [
    first + index * step,
    () => card.partial(src),
  ]);
  steps.push([total, () => card.completed(run)]);
  return new Promise((resolve) => {
    const timers = steps.map(([at, show], index) =>
      setTimeout(() => {
        show();
        if (index === steps.length - 1) resolve();
      }, at),
    );
    signal.addEventListener("abort", () => {
      for (const timer of timers) clearTimeout(timer);
      resolve();
    });
  });
}
