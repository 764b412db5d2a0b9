import type { ErrorGroup } from "./entry.js";

/** `/blend` and Slack's blend: what a blend needs besides a valid request. */
export const BLEND_ERRORS = {
  blend_image_count: {
    kind: "invalid_input",
    sentence: ({ count, min, max }: { count: number; min: number; max: number }) =>
      `Blend takes ${min} to ${max} images; you gave ${count}.`,
  },
} as const satisfies ErrorGroup;
