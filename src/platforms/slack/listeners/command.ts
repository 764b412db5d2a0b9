import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseFlagText } from "../../../../commands/flag-text.js";
import { imagineCommand, parseImagineOptions } from "../../../../commands/imagine.js";
import { COMMANDS, type Command } from "../../../../commands/index.js";
import { parseCommandOptions } from "../../../../commands/parse-options.js";
import { checkAccess, OPEN_ACCESS } from "../../../access/access-list.js";
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

/**
 * `--private true`: the run is shown in the person's DM with the app, where only they see it and the status
 * stays a message the bot can update (an ephemeral answer cannot be edited by the worker). Its value was
 * checked with the other options already.
 */
function wantsPrivate(text: string): boolean {
  return parseImagineOptions(parseFlagText(imagineCommand, text).raw).private === true;
}

/**
 * The person's DM with the app (opened if need be: Slack returns the same one every time), where the run's
 * buttons will be pressed: the access lists must allow it too, or they would refuse every press there.
 * @throws `UserError` (`slack_private_not_enabled`) when they do not; nothing was done yet.
 */
async function directMessageChannel(deps: SlackDeps, team: string, user: string): Promise<string> {
  const opened = await deps.client.conversations.open({ users: user });
  const channel = opened.channel?.id;
  if (channel === undefined) throw new Error("conversations.open returned no channel");
  const access = deps.context.config.slack?.access ?? OPEN_ACCESS;
  if (!checkAccess(access, { workspace: team, channel, user }).allowed) {
    throw userError("slack_private_not_enabled");
  }
  return channel;
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
  // Slack's commands carry no files: Describe is the message shortcut on the image.
  describe: (_, { ack }) =>
    ack({
      response_type: "ephemeral",
      text: "Slack commands can't carry an image: open the ⋯ menu on a message with an image and choose *Describe image*. You get 3 prompts that would recreate it, each with a button that makes it.",
    }),
  blend: (_, { ack }) =>
    ack({
      response_type: "ephemeral",
      text: "Slack commands can't carry images: post a message with 2 to 5 images that mentions me, e.g. `@imagine blend at dawn --aspect landscape`, or open the ⋯ menu on a message with them and choose *Blend images*.",
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
  // A command that needs a file (describe) cannot run on Slack's words: "describe a cat" is a prompt.
  const needsFile = command?.options.some((option) => option.type === "attachment" && option.required);
  if (command === undefined || (rest !== "" && (command.options.length === 0 || needsFile))) return undefined;
  return { word: command.name, rest };
}

const PRIVATE_ACK = "Making it in our direct messages, where only you see it.";

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
      // Opened before the ack, so that a refusal is the ack's own answer.
      const privately = wantsPrivate(text);
      const channel = privately
        ? await directMessageChannel(deps, command.team_id, command.user_id)
        : command.channel_id;
      await ack(privately ? { response_type: "ephemeral", text: PRIVATE_ACK } : undefined);
      await submitSlackRun(deps, {
        team: command.team_id,
        channel,
        user: command.user_id,
        ask: { request },
      });
    }),
  );
}
