import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseFlagText } from "../../../../commands/flag-text.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { COMMANDS, type Command } from "../../../../commands/index.js";
import { parseCommandOptions } from "../../../../commands/parse-options.js";
import {
  isNeutralCommand,
  type NeutralCommandName,
  neutralHandler,
} from "../../../command-handlers/index.js";
import { operatorDefaults } from "../../../config/load.js";
import { isUserError, userError } from "../../../core/errors.js";
import type { ImageRequest } from "../../../core/request.js";
import type { RequestDefaults } from "../../../core/validate-request.js";
import { checkOptions } from "../../../intake/enqueue-run.js";
import { requireSlackAccess } from "../access.js";
import { helpText } from "../blocks.js";
import { slackCommandPort } from "../command-port.js";
import type { SlackDeps } from "../deps.js";
import { messageFor } from "../errors.js";
import { submitSlackRun } from "../intake.js";
import { usageArgs } from "../usage.js";
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
 * Each word's handler, but for the commands answered the same everywhere (`command-handlers/`); a command
 * declared with `slack: "word"` without one here, or there, fails to compile. They answer only the person and
 * spend nothing, so they work wherever the bot is, as help does.
 */
const WORDS: {
  [Name in Exclude<Word, NeutralCommandName>]: (deps: SlackDeps, call: WordCall) => Promise<void>;
} = {
  help: (_, { command, ack }) => ack({ response_type: "ephemeral", text: helpText(command.command) }),
  // Slack does not tell a command which thread it was typed in: forgetting a thread is a mention there.
  forget: (_, { ack }) =>
    ack({
      response_type: "ephemeral",
      text: "Slack doesn't tell commands which thread they were typed in: mention me with `forget` inside the thread instead.",
    }),
};

/** Words whose options are not `--flag value`: `usage set <budget> <value>`. */
const WORD_ARGS: { [Name in NeutralCommandName]?: (rest: string) => Record<string, unknown> } = {
  usage: usageArgs,
  // `/imagine show <job id>`: the id alone; whatever else is typed is the id the handler refuses.
  show: (rest) => ({ job: rest }),
};

/** A command answered the same everywhere: acknowledged first (Slack waits 3 seconds), its words parsed, run. */
async function runNeutralWord(deps: SlackDeps, name: NeutralCommandName, call: WordCall): Promise<void> {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command?.kind !== "slash") return;
  const { team_id, channel_id, user_id } = call.command;
  // One that posts in the channel (`show`) is access-listed, refused in the ack as a request is.
  if (command.access === "listed")
    requireSlackAccess(deps, { team: team_id, channel: channel_id, user: user_id });
  const port = slackCommandPort(deps, call);
  await port.acknowledge();
  const parse =
    WORD_ARGS[name] ?? ((rest: string) => parseCommandOptions(command, parseFlagText(command, rest).raw));
  await neutralHandler(name)(deps.context, port, parse(call.rest));
}

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
      if (word !== undefined) {
        const call = { ...args, rest: word.rest };
        if (isNeutralCommand(word.word)) return runNeutralWord(deps, word.word, call);
        return WORDS[word.word](deps, call);
      }
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
