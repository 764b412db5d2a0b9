import { parseArgs } from "node:util";
import { webApi } from "@slack/bolt";
import { NEEDS_BY_MODE } from "../config/cross-checks.js";
import { loadConfig } from "../config/load.js";
import { type Config, ConfigError } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import { createRest } from "../platforms/discord/rest.js";
import { answerHelp } from "../script-help.js";
import { checkBudgets } from "./budget-check.js";
import {
  type CheckOutcome,
  checkDiscord,
  checkOpenAI,
  checkSlack,
  checkStorage,
  type SlackAuth,
} from "./checks.js";
import { checkEntraId, checkModelDates } from "./model-checks.js";
import { checkQueues } from "./queue-check.js";
import { checkRedis } from "./redis-check.js";

const USAGE = `Usage: npm run doctor [-- --mode all|bot|worker]

Checks what the bot needs before anyone uses it, with the variables of .env and the environment: the
configuration, Redis and the queues, run storage, OpenAI (the key, the models and their shutdown dates),
Discord and Slack (tokens and scopes). One line each: ✓ passes, ! passes with a warning, ✗ fails and says what to fix.
The configuration is checked as the start checks it: \`npm start\` (all, the default), \`npm run bot\` (bot) or
\`npm run worker\` (worker), so what the start refuses is a failing line here.
Exits 0 when every check passes, 1 when one fails.`;

/**
 * `npm run doctor`: checks what the bot needs before anyone uses it (the configuration, Redis, run storage,
 * OpenAI, Discord, Slack), one line each with what to fix, and exits 1 if anything fails.
 */
async function main(): Promise<number> {
  answerHelp(USAGE);
  let config: Config;
  try {
    config = loadConfig(undefined, NEEDS_BY_MODE[doctorMode()]);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) print({ name: "config", ok: false, detail: problem });
    return 1;
  }
  print({ name: "config", ok: true, detail: "every variable is valid" });
  const slackApiUrl = config.slack?.apiUrl;
  // No retries: a doctor reports what it finds at once.
  const slackClient = (token: string) =>
    new webApi.WebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), retryConfig: { retries: 0 } });
  const slack: SlackAuth = {
    async test(token) {
      const result = await slackClient(token).auth.test();
      return { ...result, scopes: result.response_metadata?.scopes ?? [] };
    },
    async openConnection(appToken) {
      await slackClient(appToken).apps.connections.open();
    },
  };
  const outcomes = [
    checkBudgets(config),
    await checkRedis(config),
    await checkQueues(config),
    await checkStorage(config),
    await checkEntraId(config),
    await checkOpenAI(config),
    await checkModelDates(config),
    config.discord ? await checkDiscord(config.discord, createRest(config.discord)) : undefined,
    await checkSlack(config, slack),
  ].filter((outcome): outcome is CheckOutcome => outcome !== undefined);
  for (const outcome of outcomes) print(outcome);
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

/** Which start the configuration is checked for (`--mode`, as `npm start -- --mode` takes it). */
function doctorMode(): keyof typeof NEEDS_BY_MODE {
  const { values } = parseArgs({ options: { mode: { type: "string", default: "all" } } });
  const mode = values.mode;
  if (mode === "all" || mode === "bot" || mode === "worker") return mode;
  throw new Error(`--mode must be all, bot or worker (got "${mode}")`);
}

function print({ name, ok, detail, warning }: CheckOutcome): void {
  process.stdout.write(`${ok ? (warning ? "!" : "✓") : "✗"} ${name.padEnd(8)} ${detail}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`doctor failed: ${errorMessage(error)}\n`);
    process.exit(2);
  },
);
