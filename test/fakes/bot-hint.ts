import { processEnvironment } from "../../src/config/load.js";

/** The fake OpenAI's address when it is started as README says (`npm run fake:openai -- --port 4010`). */
export const README_OPENAI_URL = "http://127.0.0.1:4010/v1";
/** The bot's REDIS_URL when neither the environment nor `.env` sets one. */
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** `--openai-url` of the fake Discord and Slack: the fake OpenAI the printed start command points the bot at. */
export const OPENAI_URL_OPTION = { "openai-url": { type: "string", default: README_OPENAI_URL } } as const;

/**
 * The command that starts the bot against a standalone fake, naming what is really in use: the fake's own
 * variables (its address on the port it got), the fake OpenAI's address (`--openai-url`), and the Redis the bot
 * will use, which the environment or `.env` may set. A REDIS_URL with a password is not printed: the bot reads it
 * from where it is set.
 */
export function botStartHint(platformVariables: string, openaiUrl: string): string[] {
  const environment = processEnvironment();
  // A Redis Cluster, when set, is what the bot uses (REDIS_URL is then unused).
  const clusterNodes = environment.REDIS_CLUSTER_NODES?.trim();
  const [variable, value] = clusterNodes
    ? ["REDIS_CLUSTER_NODES", clusterNodes]
    : ["REDIS_URL", environment.REDIS_URL?.trim() || DEFAULT_REDIS_URL];
  // One URL, or a cluster's comma-separated nodes: any with a password is not printed.
  const secret = value
    .split(",")
    .some((entry) => URL.canParse(entry.trim()) && new URL(entry.trim()).password !== "");
  return [
    `Start the bot against it and the fake OpenAI (\`npm run fake:openai -- --port ${portOf(openaiUrl)}\`):`,
    `  OPENAI_API_KEY=sk-fake OPENAI_BASE_URL=${openaiUrl} \\`,
    `    ${platformVariables} \\`,
    `    ${secret ? "" : `${variable}=${value} `}npm start`,
    ...(secret
      ? [`(with the ${variable} of your environment or .env; it holds a password, so it is not printed)`]
      : []),
  ];
}

function portOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port || (parsed.protocol === "https:" ? "443" : "80");
}
