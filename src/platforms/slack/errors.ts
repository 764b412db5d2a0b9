import { asUserError, isUserError, type UserError, userError } from "../../core/errors.js";
import { escapeText } from "./blocks.js";

/** Slack's API errors that mean the bot was never invited where it was asked to post. */
const NOT_IN_CHANNEL: ReadonlySet<string> = new Set(["not_in_channel", "channel_not_found"]);

/** A failure as the person sees it, with Slack's own refusals of the bot given their code. */
function slackUserError(error: unknown): UserError {
  const code = isUserError(error) ? undefined : (error as { data?: { error?: string } } | null)?.data?.error;
  if (code !== undefined && NOT_IN_CHANNEL.has(code))
    return userError("slack_not_in_channel", { cause: error });
  return asUserError(error);
}

/**
 * A sentence for the person, as mrkdwn: their own mistake as it is, anything else as "went wrong on our side".
 * Escaped (`escapeText`): a refusal may quote what they typed.
 */
export function messageFor(error: unknown): string {
  return escapeText(slackUserError(error).message);
}
