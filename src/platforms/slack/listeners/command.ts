import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseFlagText } from "../../../../commands/flag-text.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { operatorDefaults } from "../../../config/load.js";
import { isUserError, userError } from "../../../core/errors.js";
import type { ImageRequest } from "../../../core/request.js";
import type { RequestDefaults } from "../../../core/validate-request.js";
import { checkOptions } from "../../../intake/enqueue-run.js";
import { requireSlackAccess } from "../access.js";
import { helpText } from "../blocks.js";
import type { SlackDeps } from "../deps.js";
import { messageFor } from "../errors.js";
import { submitSlackRun } from "../intake.js";
import { answerUsage } from "../usage.js";
import { guarded } from "./guard.js";

/**
 * Parses `/imagine` text into a checked request: flags derived from `commands/imagine.ts`, counts only
 * (slash commands carry no files), nothing downloaded or sent.
 * @throws `UserError` with the exact problem.
 */
export function requestFromText(text: string, defaults: RequestDefaults, imageCount = 0): ImageRequest {
  const { raw, attachmentFlags } = parseFlagText(imagineCommand, text);
  const [flag] = attachmentFlags;
  if (flag !== undefined) throw userError("slack_flag_needs_file", { flag, typed: "command" });
  return checkOptions(raw, { imageCount, hasMask: false }, defaults);
}

/** `/imagine <prompt> [--flag value]…`, `/imagine help` and `/imagine usage [set <budget> <value>]`. */
export function registerCommand(app: App, deps: SlackDeps): void {
  app.command(
    "/imagine",
    guarded<SlackCommandMiddlewareArgs>(deps, async ({ command, ack, respond }) => {
      const text = command.text.trim();
      if (text === "" || text.toLowerCase() === "help") {
        await ack({ response_type: "ephemeral", text: helpText(command.command) });
        return;
      }
      // Slack does not tell a command which thread it was typed in: forgetting a thread is a mention there.
      if (text.toLowerCase() === "forget") {
        await ack({
          response_type: "ephemeral",
          text: "Slack doesn't tell commands which thread they were typed in: mention me with `forget` inside the thread instead.",
        });
        return;
      }
      const usage = /^usage(?:\s+(.*))?$/is.exec(text);
      if (usage) {
        // Acknowledged first: the answer reads Redis and the queue, and Slack waits 3 seconds at most.
        await ack();
        await answerUsage(
          deps,
          { team: command.team_id, user: command.user_id, args: usage[1] ?? "" },
          respond,
        );
        return;
      }
      // Help and usage answer only the person, anywhere; a request is access-listed (refused in the ack).
      requireSlackAccess(deps, { team: command.team_id, channel: command.channel_id, user: command.user_id });
      let request: ImageRequest;
      try {
        request = requestFromText(text, operatorDefaults(deps.context.config.openai));
      } catch (error) {
        if (!isUserError(error)) throw error;
        // The ack's body is the private answer: only the person who typed the command sees it.
        await ack({ response_type: "ephemeral", text: `:warning: ${messageFor(error)}` });
        return;
      }
      await ack();
      await submitSlackRun(deps, {
        team: command.team_id,
        channel: command.channel_id,
        user: command.user_id,
        ask: { request },
      });
    }),
  );
}
