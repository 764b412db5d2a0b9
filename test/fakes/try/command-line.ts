import { readFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { COMMANDS } from "../../../commands/index.js";
import type { MessageCommand, SlashCommand } from "../../../commands/types.js";
import type { OptionDefinition } from "../../../src/core/option-definition.js";
import { slotNames } from "../../../src/platforms/discord/commands/options.js";
import type { LocalFile } from "./platform.js";

/**
 * A console line `/imagine a fox n:2 image:./room.png`, read the way Discord's client reads it: words of the
 * form `name:value` give the option of that name, the other words are the command's text option (the first
 * required text option, else the first text option). Any command of commands/ is understood as it is defined.
 * An option of several slots is given under each slot's name as Discord shows them (`image:a.png image-2:b.png`)
 * or under its own name again (`image:a.png image:b.png`).
 */
export interface CommandLine {
  command: SlashCommand;
  /** Each given option's values as typed, in order (an option given twice has two). */
  values: Map<OptionDefinition, string[]>;
  /** What was typed after the command's name, as typed. */
  rest: string;
}

/** A line that cannot become a command: said to the person as is. */
export class LineRefusal extends Error {}

/** Words of a line; double quotes keep spaces (`style:"oil paint"`, `"two words"`). */
export function words(text: string): string[] {
  return [...text.matchAll(/(\S*?)"([^"]*)"|(\S+)/g)].map((match) =>
    match[3] !== undefined ? match[3] : `${match[1] ?? ""}${match[2] ?? ""}`,
  );
}

const slashCommands = () =>
  COMMANDS.filter((command): command is Extract<typeof command, SlashCommand> => command.kind === "slash");

/** The message command called `name` (any case), as commands/ defines it. */
export function messageCommandNamed(name: string): MessageCommand {
  const found = COMMANDS.find(
    (command): command is Extract<typeof command, MessageCommand> =>
      command.kind === "message" && command.name.toLowerCase() === name.trim().toLowerCase(),
  );
  if (found === undefined) {
    throw new LineRefusal(
      `There is no message command ${name}; there are: ${messageCommandNames().join(", ")}.`,
    );
  }
  return found;
}

/** The message commands' names, for `help` (`menu <name>`). */
export const messageCommandNames = (): string[] =>
  COMMANDS.filter((command) => command.kind === "message").map((command) => command.name);

/** The commands Slack reaches as a first word of `/imagine` (`/imagine usage`), for `help` on Slack. */
export const slackWords = (): string[] =>
  slashCommands()
    .filter((command: SlashCommand) => command.slack === "word")
    .map((command) => command.name);

/** The message commands Slack has as message shortcuts, for `help` on Slack. */
export const slackShortcutNames = (): string[] =>
  COMMANDS.filter(
    (command) => command.kind === "message" && (command as MessageCommand).slack === "shortcut",
  ).map((command) => command.name);

/** The slash commands, for `help`: `/name` and its option names. */
export function commandSummaries(): string[] {
  return slashCommands().map((command) =>
    `/${command.name} ${command.options.map((option) => `${option.name}:…`).join(" ")}`.trim(),
  );
}

export function parseCommandLine(line: string): CommandLine {
  const [, name = "", rest = ""] = /^\/(\S+)\s*(.*)$/s.exec(line.trim()) ?? [];
  const command = slashCommands().find((candidate) => candidate.name === name);
  if (command === undefined) {
    const names = slashCommands().map((candidate) => `/${candidate.name}`);
    throw new LineRefusal(`There is no /${name}; the commands are ${names.join(", ")}.`);
  }
  const byName = new Map<string, OptionDefinition>(command.options.map((option) => [option.name, option]));
  /** `image-2` → image's second slot; the option's own name is its first. */
  const bySlot = new Map<string, { option: OptionDefinition; slot: number }>(
    command.options.flatMap((option) =>
      slotNames(option).map((slotName, slot) => [slotName, { option, slot }]),
    ),
  );
  const given = new Map<OptionDefinition, { slot: number; value: string; own: boolean }[]>();
  const text: string[] = [];
  for (const word of words(rest)) {
    const [, optionName = "", value = ""] = /^([a-z0-9-]+):(.*)$/s.exec(word) ?? [];
    const found = bySlot.get(optionName);
    if (found === undefined) text.push(word);
    else {
      const before = given.get(found.option) ?? [];
      // The option's own name again is its next slot (`image:a image:b`), a slot's name that slot.
      const slot = found.slot > 0 ? found.slot : before.filter((entry) => entry.own).length;
      given.set(found.option, [...before, { slot, value, own: found.slot === 0 }]);
    }
  }
  // In slot order (`image-2:b image:a` is a then b); repeats of one name keep the order they were typed in.
  const values = new Map<OptionDefinition, string[]>(
    [...given].map(([option, entries]) => [
      option,
      [...entries].sort((a, b) => a.slot - b.slot).map((entry) => entry.value),
    ]),
  );
  if (text.length > 0) {
    const strings = command.options.filter((option) => option.type === "string");
    const target = strings.find((option) => option.required) ?? strings[0];
    if (target === undefined) {
      throw new LineRefusal(
        `/${name} takes no text, only its options: ${[...byName.keys()].join(", ") || "none"}.`,
      );
    }
    values.set(target, [text.join(" "), ...(values.get(target) ?? [])]);
  }
  return { command, values, rest };
}

/** A boolean option as Discord's client takes it: true or false in any case (`private:True`, as Discord shows it). */
export function booleanValue(name: string, raw: string): boolean {
  const lower = raw.toLowerCase();
  if (lower !== "true" && lower !== "false")
    throw new LineRefusal(`${name} takes true or false (not "${raw}").`);
  return lower === "true";
}

const TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".bmp": "image/bmp",
  ".heic": "image/heic",
  ".txt": "text/plain",
};

/** A file of the person's disk, as a platform's upload carries it (its type from its extension). */
export async function localFile(path: string): Promise<LocalFile> {
  const full = resolve(path);
  const bytes = await readFile(full).catch((error: NodeJS.ErrnoException) => {
    throw new LineRefusal(`Cannot read ${full}: ${error.code ?? error.message}.`);
  });
  const contentType = TYPES[extname(full).toLowerCase()] ?? "application/octet-stream";
  return { name: basename(full), bytes, contentType };
}
