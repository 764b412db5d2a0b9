import type { ErrorGroup } from "./entry.js";

/** `/history` and `/show` (src/command-handlers/history.ts, show.ts) and the Show button. */
export const HISTORY_ERRORS = {
  history_empty: { kind: "invalid_input", sentence: "You have no images here yet. Try /imagine." },
  // One sentence for an id never made, made in another server or workspace, forgotten or removed: which of
  // these it is would tell a stranger that the id exists somewhere.
  show_unknown: {
    kind: "invalid_input",
    sentence: ({ jobId }: { jobId: string }) => `I have no image with job id ${jobId} here.`,
  },
  // What was typed is not echoed: it may hold anything, mentions included.
  show_id_malformed: {
    kind: "invalid_input",
    sentence:
      "That is not a job id: job ids look like 20261207-093000-ab12cd34 (Details and /history show them).",
  },
  history_needs_redis: {
    kind: "unavailable",
    sentence: ({ redis, reason }: { redis: string; reason: string }) =>
      `history reads the list of your runs in Redis, and none answers on ${redis} (${reason}).`,
  },
} as const satisfies ErrorGroup;
