import type { SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { CommandPort } from "../../command-handlers/command-port.js";
import { isSlackAdmin } from "./admin.js";
import type { SlackDeps } from "./deps.js";
import { historyBlocks, historyText } from "./history-blocks.js";
import { postShownRun } from "./show-run.js";

/** Slack's limit for a message's text is far higher; this keeps a long list of people readable. */
const MAX_TEXT = 3_000;

/** A word of `/imagine` answered privately through the command's response_url, once acknowledged. */
export function slackCommandPort(
  deps: SlackDeps,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): CommandPort {
  let acknowledged = false;
  const acknowledge = async () => {
    if (acknowledged) return;
    acknowledged = true;
    await ack();
  };
  return {
    platform: "slack",
    user: { platform: "slack", id: command.user_id, workspace: command.team_id },
    isAdmin: () => isSlackAdmin(deps, command.user_id),
    typed: (name) => `/imagine ${name}`,
    markup: {
      heading: (text) => `*${text}*`,
      mention: (id) => `<@${id}>`,
      code: (text) => `\`${text}\``,
      done: ":white_check_mark:",
    },
    maxText: MAX_TEXT,
    acknowledge,
    async answerPrivately(text) {
      await acknowledge();
      await respond({ response_type: "ephemeral", replace_original: false, text });
    },
    async showHistory(entries) {
      await acknowledge();
      const runs = await Promise.all(
        entries.map(async (entry) => ({ entry, fileId: (await deps.messageRuns.files(entry.runId))[0] })),
      );
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: historyText(runs),
        blocks: historyBlocks(runs),
      });
    },
    async showRun(shown) {
      await acknowledge();
      await postShownRun(deps, { team: command.team_id, channel: command.channel_id }, shown);
    },
  };
}
