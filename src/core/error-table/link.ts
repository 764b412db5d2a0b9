import type { ErrorGroup } from "./entry.js";

/** "Edit region" links from chat into the web studio: signed, single-purpose, bound to one person, used once. */
export const LINK_ERRORS = {
  edit_region_off: {
    kind: "invalid_input",
    sentence: "Edit region needs the web studio, which is not on for this bot now.",
  },
  chat_return_unavailable: {
    kind: "unavailable",
    sentence: ({ platform }: { platform: string }) =>
      `The studio cannot post into ${platform} right now (the bot is not connected there); nothing was spent, try again later.`,
  },
  link_expired: {
    kind: "invalid_input",
    sentence:
      "This Edit region link has expired (links last 15 minutes); press Edit region under the image again.",
  },
  link_invalid: {
    kind: "invalid_input",
    sentence:
      "This Edit region link is not valid (it was changed or cut short); press Edit region under the image again.",
  },
  link_other_purpose: {
    kind: "invalid_input",
    sentence: "This link is not an Edit region link; press Edit region under the image for one.",
  },
  link_used: {
    kind: "invalid_input",
    sentence:
      "This Edit region link was already used to post an edit; press Edit region under the image again for another.",
  },
  link_other_person: {
    kind: "invalid_input",
    sentence:
      "This Edit region link was made for someone else; press Edit region under the image yourself, signed in as you.",
  },
} as const satisfies ErrorGroup;
