import type { ErrorGroup } from "./entry.js";

const NOT_ENABLED = {
  workspace: "imagine isn't enabled here.",
  channel: "imagine isn't enabled in this channel.",
  user: "imagine isn't enabled for you here; ask an admin to add you.",
  role: "imagine is only for members with an allowed role here; ask an admin for one.",
} as const;

/**
 * `requireAccess` (src/access/access-list.ts): the operator's access lists leave this place or person out.
 * The ids stay in the log, not in the sentence.
 */
export const ACCESS_ERRORS = {
  not_enabled_here: {
    kind: "invalid_input",
    sentence: ({ reason }: { reason: keyof typeof NOT_ENABLED }) => NOT_ENABLED[reason],
  },
  // `DISCORD_ALLOW_USER_INSTALL=false`, yet Discord still delivered a command from a person's own install.
  user_install_off: {
    kind: "invalid_input",
    sentence: "imagine works only in the servers that added it; it can't be used from your own apps here.",
  },
} as const satisfies ErrorGroup;
