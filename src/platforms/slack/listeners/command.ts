import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseFlagText } from "../../../../commands/flag-text.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { COMMANDS, type Command } from "../../../../commands/index.js";
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
import { answerUsage, usageArgs } from "../usage.js";
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

/** The commands Slack reaches as the first word of `/imagine` (commands/), and `help`. */
type WordCommand = Extract<Command, { slack: "word" }>;
type Word = "help" | WordCommand["name"];

/** A first word of `/imagine`, the text after it, and how to answer. */
type WordCall = SlackCommandMiddlewareArgs & { rest: string };

/**
 * Each word's handler; a command declared with `slack: "word"` without one here fails to compile. They answer
 * only the person and spend nothing, so they work wherever the bot is, as help does.
 */
const WORDS: { [Name in Word]: (deps: SlackDeps, call: WordCall) => Promise<void> } = {
  help: (_, { command, ack }) => ack({ response_type: "ephemeral", text: helpText(command.command) }),
  // Slack does not tell a command which thread it was typed in: forgetting a thread is a mention there.
  forget: (_, { ack }) =>
    ack({
      response_type: "ephemeral",
      text: "Slack doesn't tell commands which thread they were typed in: mention me with `forget` inside the thread instead.",
    }),
  async usage(deps, { command, ack, respond, rest }) {
    // Acknowledged first: the answer reads Redis and the queue, and Slack waits 3 seconds at most.
    await ack();
    await answerUsage(deps, { team: command.team_id, user: command.user_id }, usageArgs(rest), respond);
  },
};

const isWordCommand = (command: Command): command is WordCommand =>
  "slack" in command && command.slack === "word";

/**
 * The word `text` starts with, if it is one: alone (nothing, `help`, `forget`), or followed by the words of
 * a command that takes options (`usage set user-day-usd 2`). Anything else is a prompt.
 */
export function imagineWord(text: string): { word: Word; rest: string } | undefined {
  if (text === "") return { word: "help", rest: "" };
  const [, first = "", rest = ""] = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text) ?? [];
  const name = first.toLowerCase();
  if (name === "help") return rest === "" ? { word: "help", rest } : undefined;
  const command = COMMANDS.filter(isWordCommand).find((candidate) => candidate.name === name);
  if (command === undefined || (rest !== "" && command.options.length === 0)) return undefined;
  return { word: command.name, rest };
}

/** `/imagine <prompt> [--flag value]…`, and its words: `help`, `usage [set <budget> <value>]`, `forget`. */
export function registerCommand(app: App, deps: SlackDeps): void {
  app.command(
    "/imagine",
    guarded<SlackCommandMiddlewareArgs>(deps, async (args) => {
      const { command, ack } = args;
      const text = command.text.trim();
      const word = imagineWord(text);
      if (word !== undefined) return WORDS[word.word](deps, { ...args, rest: word.rest });
      // A request is access-listed (refused in the ack).
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
