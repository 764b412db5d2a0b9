import type { ErrorGroup } from "./entry.js";

/** Run storage (src/storage): the disk or store is full, read-only or failing, before anything was paid. */
export const STORAGE_ERRORS = {
  storage_unavailable: {
    kind: "unavailable",
    sentence:
      "I can't save images right now (the bot's storage is full or not writable), so nothing was started and nothing was charged. Please tell the bot's operator.",
  },
} as const satisfies ErrorGroup;
