import { formatMegabytes } from "../limits.js";
import type { ErrorGroup } from "./entry.js";

/** The web studio's own refusals: its sign-in, its forms and whose runs a person may read. */
export const WEB_ERRORS = {
  web_signed_out: { kind: "invalid_input", sentence: "Sign in to use the studio." },
  web_session_ended: {
    kind: "invalid_input",
    sentence:
      "Your sign-in has ended (the studio was restarted with a new secret, or it expired): sign in again.",
  },
  web_csrf_missing: {
    kind: "invalid_input",
    sentence:
      "That form came without the studio's security token (an old tab, or a page of another site): reload the studio and send it again.",
  },
  web_once_link_used: {
    kind: "invalid_input",
    sentence:
      "That sign-in link was already used, or is not one this studio made: use the newest link the studio printed when it started.",
  },
  web_body_too_large: {
    kind: "invalid_input",
    sentence: ({ maxBytes }: { maxBytes: number }) =>
      `That drop is larger than ${formatMegabytes(maxBytes)} in all; send fewer or smaller images.`,
  },
  web_form_invalid: {
    kind: "invalid_input",
    sentence: ({ problem }: { problem: string }) => `The studio could not read that form: ${problem}.`,
  },
  web_run_not_found: {
    kind: "invalid_input",
    sentence: "That run is not one of yours, or it is no longer stored.",
  },
  web_not_found: { kind: "invalid_input", sentence: "The studio has no such page." },
} as const satisfies ErrorGroup;
