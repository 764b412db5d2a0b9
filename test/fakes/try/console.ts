import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import {
  commandSummaries,
  LineRefusal,
  localFile,
  messageCommandNames,
  parseCommandLine,
  slackShortcutNames,
  slackWords,
  words,
} from "./command-line.js";
import type { Place, Pressable, TryPlatform } from "./platform.js";
import type { Watcher } from "./watcher.js";

const COMMON = `  press Re-roll                       press a button by its label on the newest message that has it
  press Vary 2 #3                     the second Vary, or "Vary 2"; #3 picks message #3
  form a red roof                     answer the form the bot opened (Edit's prompt)
  back                                return to the channel from a thread
  open 3                              open message #3's images (or print their paths)
  hold / release                      hold the fake OpenAI's next events (to press Cancel on a running job) / let them go
  logs                                the bot's last log lines
  help, quit (or Ctrl-C)`;

const DISCORD_HELP = `You are the person in #general (Alice, on Discord). Type:
  /imagine a fox n:2 size:1536x1024   any command, options as name:value (files as paths: /edit room in blue image:./room.png)
  /blend image:a.png image-2:b.png prompt:"at dawn"
                                      a numbered slot by its name; a value of several words in double quotes;
                                      true/false in any case (enhance:True)
  reply ./photo.png make it night     reply to the newest result with a file (and text), mentioning the bot
  say add a moon                      speak to the bot in the newest thread (or where you are)
  menu Edit image #2                  a message command (the Apps menu) on #2 or the newest result
${COMMON}`;

const SLACK_HELP = `You are the person in #general (@you, on Slack). Type:
  /imagine a fox --n 2 --size 1536x1024   Slack's /imagine (options as --name value, or name:value);
                                      its first words name the others: /imagine usage, /imagine describe
  reply ./a.png ./b.png blend at dawn mention @imagine replying to the newest result with files (paths first) and text
  say add a moon                      mention @imagine in the newest thread (or where you are)
  menu Edit image #2                  a message shortcut (⋯) on #2 or the newest result
${COMMON}`;

/** What the person can type, on the platform they are on. */
export const helpFor = (platform: TryPlatform["name"]): string =>
  platform === "Slack" ? SLACK_HELP : DISCORD_HELP;

/** `help`'s list of the platform's commands and message commands. */
function commandsFor(platform: TryPlatform["name"]): string {
  if (platform === "Discord")
    return `Commands: ${commandSummaries().join("\n          ")}\nMessage commands (menu <name>): ${messageCommandNames().join(", ")}`;
  return `Slack: /imagine ${slackWords().join(", ")} (as /imagine <word> …); with @imagine: the same words, blend (with images)\nShortcuts (menu <name>): ${slackShortcutNames().join(", ")}`;
}

/** What the console needs beyond the platform: the watcher's numbering, the fake OpenAI's pause, the bot's logs. */
export interface ConsoleDeps {
  platform: TryPlatform;
  watcher: Watcher;
  print: (line: string) => void;
  hold(): void;
  release(): void;
  logs(): string;
}

/** One console line, done: resolves with `false` once the person asked to quit. */
export type Console = (line: string) => Promise<boolean>;

export function tryConsole(deps: ConsoleDeps): Console {
  const { platform, watcher, print } = deps;
  let here: Place = platform.home;

  const newestFirst = () =>
    platform
      .messages()
      .filter((message) => message.byBot && !message.deleted)
      .reverse();

  /** `Vary 2`: a label "Vary 2", else the second "Vary"; a unique prefix ("Refine") as well. */
  const find = (pressables: Pressable[], label: string): Pressable | undefined => {
    const lower = label.toLowerCase();
    const exact = pressables.find((pressable) => pressable.label.toLowerCase() === lower);
    if (exact) return exact;
    const [, base = "", nth = ""] = /^(.*\S)\s+(\d+)$/.exec(lower) ?? [];
    if (base !== "") {
      const same = pressables.filter((pressable) => pressable.label.toLowerCase() === base);
      if (same.length > 0) return same[Number(nth) - 1];
    }
    const started = pressables.filter((pressable) => pressable.label.toLowerCase().startsWith(lower));
    return started.length === 1 ? started[0] : undefined;
  };

  const press = async (args: string) => {
    const [, label = "", number] = /^(.*?)\s*(?:#(\d+))?$/.exec(args.trim()) ?? [];
    if (label === "") return print("press what? e.g. press Re-roll");
    const candidates = number
      ? [watcher.numbered(Number(number))].filter((m) => m !== undefined)
      : newestFirst();
    for (const message of candidates) {
      const pressable = find(message.pressables, label);
      if (pressable === undefined) continue;
      await pressable.press();
      return print(`(you pressed [${pressable.label}] on #${watcher.numberOf(message) ?? "?"})`);
    }
    const labels = [...new Set(candidates.flatMap((message) => message.pressables.map((p) => p.label)))];
    // "Edit" under a result of two images is "Edit 1" and "Edit 2": name those, not every button.
    const near = labels.filter((known) => known.toLowerCase().startsWith(label.toLowerCase()));
    const listed = (near.length > 0 ? near : labels).map((known) => `[${known}]`).join(" ");
    print(
      near.length > 1
        ? `Which one? ${listed}`
        : `No ${number ? `#${number}` : "message"} offers ${label}${listed ? `; there are ${listed}` : ""}.`,
    );
  };

  const reply = async (args: string) => {
    const typed = words(args);
    // The paths first (reply a.png b.png blend at dawn): every word that names an existing file.
    const paths: string[] = [];
    while (typed.length > 0 && (paths.length === 0 || existsSync(typed[0] ?? "")))
      paths.push(typed.shift() ?? "");
    if (paths.length === 0) return print("reply with which file? e.g. reply ./photo.png make it night");
    const result = newestFirst().find((message) => message.images.length > 0 && !message.onlyYou);
    if (result === undefined) return print("There is no result to reply to yet.");
    await platform.say({
      text: typed.join(" "),
      files: await Promise.all(paths.map((path) => localFile(path))),
      where: here,
      replyTo: result,
    });
    print(`(you replied to #${watcher.numberOf(result) ?? "?"})`);
  };

  const say = async (text: string) => {
    if (text === "") return print("say what? e.g. say add a moon");
    if (here.id === platform.home.id) here = platform.lastThread() ?? here;
    await platform.say({ text, files: [], where: here });
    print(`(you said it in ${here.name})`);
  };

  const open = (args: string) => {
    const message = watcher.numbered(Number(args.replace("#", "")));
    if (message === undefined) return print(`There is no message #${args}.`);
    const paths = watcher.pathsOf(message);
    if (paths.length === 0) return print(`#${args} has no image.`);
    for (const path of paths) print(path);
    const viewer = process.platform === "darwin" ? "open" : "xdg-open";
    if (!process.stdout.isTTY) return;
    for (const path of paths)
      spawn(viewer, [path], { stdio: "ignore", detached: true })
        .on("error", () => undefined)
        .unref();
  };

  const run = async (line: string): Promise<boolean> => {
    const [verb = "", ...restWords] = line.trim().split(/\s+/);
    const rest = line.trim().slice(verb.length).trim();
    if (verb.startsWith("/")) {
      const refused = await platform.command(parseCommandLine(line), here);
      if (refused) print(refused);
      return true;
    }
    switch (verb) {
      case "":
        return true;
      case "press":
        await press(rest);
        return true;
      case "reply":
        await reply(rest);
        return true;
      case "say":
        await say(rest);
        return true;
      case "menu": {
        const [, name = "", number] = /^(.*?)\s*(?:#(\d+))?$/.exec(rest) ?? [];
        const target = number
          ? watcher.numbered(Number(number))
          : newestFirst().find((message) => message.images.length > 0 && !message.onlyYou);
        if (target === undefined)
          print(number ? `There is no message #${number}.` : "There is no result yet.");
        else {
          const refused = await platform.messageCommand(name, target);
          print(refused ?? `(you used ${name} on #${watcher.numberOf(target) ?? "?"})`);
        }
        return true;
      }
      case "form": {
        const form = platform.openForm();
        if (form === undefined) print("No form is open.");
        else await form.submit(rest);
        return true;
      }
      case "back":
        here = platform.home;
        print(`(you are in ${here.name})`);
        return true;
      case "open":
        open(restWords[0] ?? "");
        return true;
      case "hold":
        deps.hold();
        print("(the fake OpenAI holds its next events until release)");
        return true;
      case "release":
        deps.release();
        print("(the fake OpenAI goes on)");
        return true;
      case "logs":
        print(deps.logs());
        return true;
      case "help":
        print(`${helpFor(platform.name)}\n${commandsFor(platform.name)}`);
        return true;
      case "quit":
      case "exit":
        return false;
      default:
        print(`Not understood: ${verb}. Type help.`);
        return true;
    }
  };

  return async (line) => {
    try {
      return await run(line);
    } catch (error) {
      if (error instanceof LineRefusal) print(error.message);
      else print(`That failed: ${(error as Error).message}`);
      return true;
    }
  };
}
