import { plural } from "../plural.js";
import type { ErrorGroup } from "./entry.js";

/** `UserLimits.acquire` (src/stores/user-limits.ts): a person's active jobs. */
export const LIMIT_ERRORS = {
  too_many_active_jobs: {
    kind: "invalid_input",
    sentence: ({ max }: { max: number }) =>
      `You already have ${plural(max, "request")} in progress; wait for one to finish.`,
  },
  // Thrown by releases before the budgets (src/budget); kept so their stored failures still read back.
  daily_limit_reached: {
    kind: "invalid_input",
    sentence: ({ images }: { images: number }) =>
      `You have reached today's limit of ${plural(images, "image")}; it resets at midnight UTC.`,
  },
} as const satisfies ErrorGroup;
