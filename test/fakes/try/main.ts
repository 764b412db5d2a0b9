/**
 * `npm run try` (docs/try-it-offline.md): the fake OpenAI, the fake Discord (or `--slack`), Redis (a private
 * one when none answers) and the bot as `npm start`, all on free ports, then a console where the person acts as
 * a user. `--web` also serves a read-only page drawing the channel. Ctrl-C or `quit` stops everything it started.
 */
import { createInterface } from "node:readline";
import { parseFakeFlags } from "../standalone.js";
import { helpFor, tryConsole } from "./console.js";
import type { TryPlatform } from "./platform.js";
import { startTryPlatform } from "./platforms.js";
import { startTryStack, type TryStack, TryStartRefusal } from "./stack.js";
import { Watcher } from "./watcher.js";
import { startWebView, type WebView } from "./web.js";

const USAGE = `usage: npm run try [-- --slack] [--web] [--web-port 0] [--out runs/try] [--latency 250]
  --slack      the fake Slack (Socket Mode) instead of the fake Discord
  --web        also serve a read-only page that draws the channel, its images and buttons
  --out        where the bot's images are written
  --latency    milliseconds before each event of the fake OpenAI, so the stages can be watched`;

const values = parseFakeFlags(
  {
    slack: { type: "boolean", default: false },
    web: { type: "boolean", default: false },
    "web-port": { type: "string", default: "0" },
    out: { type: "string", default: "runs/try" },
    latency: { type: "string", default: "250" },
  },
  USAGE,
);
const latencyMs = Number(values.latency);
const webPort = Number(values["web-port"]);
if (!Number.isInteger(latencyMs) || latencyMs < 0 || !Number.isInteger(webPort) || webPort < 0) {
  console.error(USAGE);
  process.exit(2);
}

const interactive = process.stdin.isTTY === true;
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
const print = (line: string) => {
  if (interactive) process.stdout.write("\r\x1b[K");
  process.stdout.write(`${line}\n`);
  if (interactive && ready) rl.prompt(true);
};
let ready = false;

let stack: TryStack | undefined;
let platform: TryPlatform | undefined;
let web: WebView | undefined;
let stopping: Promise<void> | undefined;
/** Stops, once, whatever was started (the bot first, while Redis still answers), then exits. */
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    ready = false;
    print("Stopping the bot, the fakes and what else the try-out started…");
    try {
      await web?.close();
      await stack?.bot?.terminate(8_000);
      await platform?.close();
      await stack?.stop();
    } catch (error) {
      console.error(`Stopping failed: ${String(error)}`);
    }
    print("Stopped.");
    rl.close();
    process.exit(code);
  })();
  return stopping;
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
rl.on("SIGINT", () => void stop(0));

try {
  stack = await startTryStack(latencyMs, print);
  platform = await startTryPlatform(values.slack ? "slack" : "discord", stack);
} catch (error) {
  console.error(error instanceof TryStartRefusal ? error.message : String(error));
  await stop(1);
  throw error;
}
const bot = stack.bot;
if (bot === undefined) throw new Error("the platform did not start the bot");
void bot.exited.then(({ code, signal }) => {
  if (stopping) return;
  print(
    `The bot stopped by itself (exit ${code ?? signal}). Its last output:\n${bot.output().slice(-3_000)}`,
  );
  void stop(1);
});
print(`Starting the bot (npm start, pid ${bot.child.pid}) on the fake ${platform.name}…`);
if (
  !(await platform.ready().then(
    () => true,
    () => false,
  ))
) {
  // A bot that exited said so above; one still starting after two minutes is stopped.
  if (!stopping)
    print(`The bot did not connect within two minutes. Its last output:\n${bot.output().slice(-3_000)}`);
  await stop(1);
}

const watcher = new Watcher(platform, values.out, print);
if (values.web) {
  web = await startWebView(platform, watcher, webPort);
  print(`The channel is drawn at ${web.url}`);
}
let release: (() => void) | undefined;
const run = tryConsole({
  platform,
  watcher,
  print,
  hold() {
    if (release) return;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    stack.openai.pace(() => held);
  },
  release() {
    release?.();
    release = undefined;
    stack.openai.pace(undefined);
  },
  logs: () => bot.output().split("\n").slice(-21).join("\n"),
});

print(
  `Ready: the bot runs (app pid ${bot.appPid() ?? "?"}), Redis ${stack.redisUrl}${stack.privateRedis ? " (private)" : ""}, images go to ${values.out}/.`,
);
print(helpFor(platform.name));
ready = true;
if (interactive) {
  rl.setPrompt("> ");
  rl.prompt();
}

// Shows changes while the console waits for the person.
void (async () => {
  while (!stopping) {
    await watcher.tick().catch((error: unknown) => print(`Showing a message failed: ${String(error)}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();

for await (const line of rl) {
  if (stopping) break;
  if (!(await run(line))) break;
  if (interactive) rl.prompt();
}
await stop(0);
