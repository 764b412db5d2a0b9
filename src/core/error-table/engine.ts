import type { ErrorGroup } from "./entry.js";

const VERIFY_URL = "https://platform.openai.com/settings/organization/general";
const BILLING_URL = "https://platform.openai.com/settings/organization/billing";

const tries = (attempts: number) => (attempts === 1 ? "once" : `${attempts} times`);

/**
 * The engine (src/engine/user-errors.ts). `refused`: OpenAI said no and retrying will not help;
 * `unavailable`: our retries ran out.
 */
export const ENGINE_ERRORS = {
  // A 400 (or 404/422): OpenAI's own sentence says what was wrong, so it is passed on.
  openai_bad_request: {
    kind: "refused",
    sentence: ({ openaiMessage }: { openaiMessage: string }) =>
      `OpenAI rejected the request: ${openaiMessage}`,
  },
  moderation_blocked_input: {
    kind: "refused",
    sentence:
      "OpenAI's safety system blocked this request: the prompt or the input images were flagged. Try rewording the prompt or using other images.",
  },
  moderation_blocked_output: {
    kind: "refused",
    sentence: "OpenAI's safety system blocked the generated image after it was made. Try a different prompt.",
  },
  moderation_blocked: {
    kind: "refused",
    sentence: "OpenAI's safety system blocked this request. Try rewording the prompt or using other images.",
  },
  insufficient_quota: {
    kind: "refused",
    sentence: `The bot's OpenAI account has run out of credit (insufficient_quota). The operator needs to check billing at ${BILLING_URL}.`,
  },
  // The operator turned on Entra ID without installing the optional package: only they can fix it.
  azure_identity_missing: {
    kind: "unavailable",
    sentence: ({ packageName }: { packageName: string }) =>
      `The bot is set to sign in to Azure OpenAI with Entra ID, but the ${packageName} package is not installed. The operator needs to run \`npm install ${packageName}\`.`,
  },
  openai_auth: {
    kind: "refused",
    sentence:
      "OpenAI rejected the bot's API key (401): it is invalid or revoked. The operator needs to set a valid key.",
  },
  openai_forbidden: {
    kind: "refused",
    sentence: `OpenAI refused access (403). gpt-image models need a verified organisation; the operator can verify it at ${VERIFY_URL}.`,
  },
  // The model answered (Responses API) in text only, e.g. it declined; what it said is quoted.
  openai_no_image: {
    kind: "refused",
    sentence: ({ text }: { text: string }) =>
      `OpenAI answered without an image${text.trim() === "" ? "" : `: “${text.trim()}”`}`,
  },
  openai_rate_limited: {
    kind: "unavailable",
    sentence: ({ attempts }: { attempts: number }) =>
      `OpenAI is rate-limiting the bot right now; we tried ${tries(attempts)}. Please try again in a minute.`,
  },
  openai_unavailable: {
    kind: "unavailable",
    sentence: ({ attempts }: { attempts: number }) =>
      `OpenAI could not be reached or kept failing; we tried ${tries(attempts)}. Please try again later.`,
  },
} as const satisfies ErrorGroup;
