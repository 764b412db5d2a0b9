import type { ErrorGroup } from "./entry.js";

type Provider = "Discord" | "Slack";

const NOT_ALLOWED = {
  workspace: "Your Slack workspace isn't one imagine serves, so you can't sign in to the studio with it.",
  user: "imagine isn't enabled for you; ask an admin to add you.",
  guild: "The studio is for members of the Discord servers imagine serves, and you are in none of them.",
} as const;

/** Signing in to the web studio with the Discord or Slack account the bot knows (src/platforms/web/sign-in/). */
export const SIGN_IN_ERRORS = {
  // The callback's `state` is not the one this browser was given: a forged or replayed link, or an old tab.
  sign_in_state_mismatch: {
    kind: "invalid_input",
    sentence: "That sign-in did not start in this browser or took too long; sign in again.",
  },
  sign_in_cancelled: {
    kind: "cancelled",
    sentence: ({ provider }: { provider: Provider }) =>
      `You did not allow the studio to read your ${provider} account, so you are not signed in.`,
  },
  // The provider would not trade the code: used already, expired, or the studio's client settings are wrong.
  sign_in_refused: {
    kind: "refused",
    sentence: ({ provider }: { provider: Provider }) =>
      `${provider} did not confirm who you are, so you are not signed in; sign in again, and tell the operator if it keeps happening.`,
  },
  sign_in_unavailable: {
    kind: "unavailable",
    sentence: ({ provider }: { provider: Provider }) =>
      `${provider} could not be reached to sign you in; try again in a moment.`,
  },
  sign_in_not_allowed: {
    kind: "invalid_input",
    sentence: ({ reason }: { reason: keyof typeof NOT_ALLOWED }) => NOT_ALLOWED[reason],
  },
} as const satisfies ErrorGroup;
