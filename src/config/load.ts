import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import type { BudgetLimits } from "../budget/budget-scopes.js";
import { MODEL_ROLES, RETIRED_MODELS } from "../core/models.js";
import type { RequestDefaults } from "../core/validate-request.js";
import { withOverrides } from "../pricing/prices.js";
import { crossChecks } from "./cross-checks.js";
import { type Env, EnvSchema } from "./schema.js";
import {
  type Config,
  ConfigError,
  type ConfigSection,
  type DiscordConfig,
  type OpenAIConfig,
  type SlackConfig,
  type StorageConfig,
} from "./types.js";

/**
 * The process environment over the variables of `./.env` (README: "copy `.env.example` to `.env`"). A variable
 * the environment sets, even to an empty value, wins over the file, as with Node's `--env-file`.
 */
export function processEnvironment(
  file = ".env",
  env: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw new ConfigError([`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`]);
  }
  return { ...parseEnv(text), ...env };
}

/** What a request gets for what it does not say, under a person's own settings: the operator's choices. */
export function operatorDefaults(
  openai: Pick<OpenAIConfig, "defaultImageModel" | "defaultApi"> & Partial<Pick<OpenAIConfig, "draftModel">>,
): RequestDefaults {
  const drafts = openai.draftModel === undefined ? {} : { draftModel: openai.draftModel };
  return { model: openai.defaultImageModel, api: openai.defaultApi, ...drafts };
}

/** REDIS_URL (or a cluster node) with REDIS_PASSWORD in it, unless the URL has a password of its own (which then wins). */
function withRedisPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  if (parsed.password !== "") return url;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Validates the environment once at start-up; throws a `ConfigError` that names every bad variable.
 * `needs` lists the sections this program cannot run without.
 */
export function loadConfig(
  env: Record<string, string | undefined> = processEnvironment(),
  needs: readonly ConfigSection[] = ["openai"],
): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const e = parsed.data;
  const prices = withOverrides(e.OPENAI_PRICES, [e.RESPONSES_MODEL]);
  const problems = [
    ...crossChecks(e, needs),
    ...prices.problems.map((problem) => `OPENAI_PRICES: ${problem}`),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    openai: openaiOf(e),
    prices: prices.table,
    discord: discordOf(e),
    slack: slackOf(e),
    redisUrl: withRedisPassword(e.REDIS_URL, e.REDIS_PASSWORD),
    redisClusterNodes: e.REDIS_CLUSTER_NODES.map((node) => withRedisPassword(node, e.REDIS_PASSWORD)),
    queuePrefix: e.QUEUE_PREFIX,
    workerConcurrency: e.WORKER_CONCURRENCY,
    userLimits: { maxActiveJobs: e.USER_MAX_ACTIVE_JOBS },
    budgets: budgetsOf(e),
    storage: storageOf(e),
    storageDir: e.STORAGE_DIR,
    runRetentionDays: e.RUN_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    http:
      e.HTTP_PORT === undefined
        ? undefined
        : { port: e.HTTP_PORT, host: e.HTTP_HOST, metricsToken: e.METRICS_TOKEN },
    links: { publicBaseUrl: e.PUBLIC_BASE_URL, secret: e.LINK_SIGNING_SECRET, days: e.ORIGINAL_LINK_DAYS },
    dashboard:
      e.DASHBOARD_USER && e.DASHBOARD_PASSWORD
        ? { user: e.DASHBOARD_USER, password: e.DASHBOARD_PASSWORD, readOnly: e.DASHBOARD_READ_ONLY }
        : undefined,
    web: e.WEB_ENABLED
      ? { sessionSecret: e.WEB_SESSION_SECRET, sessionHours: e.WEB_SESSION_HOURS }
      : undefined,
  };
}

/**
 * DEFAULT_IMAGE_MODEL naming a model of the retired table starts the bot on its replacement (the start and
 * `npm run doctor` warn) instead of failing every job or refusing to start. A model shut down by a date read
 * later is mapped per request the same way (`defaultModel`).
 */
function defaultImageModelOf(name: string): Pick<OpenAIConfig, "defaultImageModel" | "retiredDefaultModel"> {
  const retired = RETIRED_MODELS.get(name.toLowerCase());
  const instead = retired?.replacements[0];
  if (retired === undefined) return { defaultImageModel: name };
  return {
    defaultImageModel: instead ?? MODEL_ROLES.final,
    retiredDefaultModel: { model: name.toLowerCase(), retiredOn: retired.retiredOn },
  };
}

function openaiOf(e: Env): OpenAIConfig {
  return {
    provider: e.OPENAI_PROVIDER,
    apiKey: e.OPENAI_API_KEY,
    baseURL: e.OPENAI_BASE_URL,
    organization: e.OPENAI_ORG_ID,
    project: e.OPENAI_PROJECT_ID,
    azure: {
      endpoint: e.AZURE_OPENAI_ENDPOINT,
      apiVersion: e.AZURE_OPENAI_API_VERSION,
      apiKey: e.AZURE_OPENAI_API_KEY,
      useEntraId: e.AZURE_OPENAI_USE_ENTRA_ID,
      deployments: e.AZURE_OPENAI_DEPLOYMENTS,
      imageDeployment: e.AZURE_OPENAI_IMAGE_DEPLOYMENT,
    },
    ...defaultImageModelOf(e.DEFAULT_IMAGE_MODEL),
    readShutdownDates: e.OPENAI_SHUTDOWN_DATES,
    defaultApi: e.DEFAULT_API,
    responsesModel: e.RESPONSES_MODEL,
    finalModel: e.FINAL_MODEL,
    draftModel: e.DRAFT_MODEL,
    finalizeBy: e.FINALIZE_BY,
    timeoutMs: e.OPENAI_TIMEOUT_MS,
    maxRetries: e.OPENAI_MAX_RETRIES,
    retryBaseMs: e.OPENAI_RETRY_BASE_MS,
    safetyIdentifierSalt: e.SAFETY_IDENTIFIER_SALT,
    imagesPerMinute: e.OPENAI_IMAGES_PER_MINUTE,
  };
}

function discordOf(e: Env): DiscordConfig | undefined {
  return e.DISCORD_TOKEN
    ? {
        token: e.DISCORD_TOKEN,
        applicationId: e.DISCORD_APPLICATION_ID,
        guildId: e.DISCORD_GUILD_ID,
        messageContent: e.DISCORD_MESSAGE_CONTENT,
        apiUrl: e.DISCORD_API_URL,
        access: {
          workspaces: e.DISCORD_ALLOWED_GUILDS,
          channels: e.DISCORD_ALLOWED_CHANNELS,
          users: [],
          roles: e.DISCORD_ALLOWED_ROLES,
        },
        adminRoleIds: e.DISCORD_ADMIN_ROLE_IDS,
        allowUserInstall: e.DISCORD_ALLOW_USER_INSTALL,
        ...(e.WEB_DISCORD_CLIENT_SECRET ? { signInSecret: e.WEB_DISCORD_CLIENT_SECRET } : {}),
        shards: { count: e.DISCORD_SHARD_COUNT, ids: e.DISCORD_SHARD_IDS },
      }
    : undefined;
}

function slackOf(e: Env): SlackConfig | undefined {
  return e.SLACK_BOT_TOKEN
    ? {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        port: e.SLACK_PORT,
        apiUrl: e.SLACK_API_URL,
        access: {
          workspaces: e.SLACK_ALLOWED_TEAMS,
          channels: e.SLACK_ALLOWED_CHANNELS,
          users: e.SLACK_ALLOWED_USERS,
          roles: [],
        },
        adminUserIds: e.SLACK_ADMIN_USER_IDS,
        ...(e.WEB_SLACK_CLIENT_ID && e.WEB_SLACK_CLIENT_SECRET
          ? { signIn: { clientId: e.WEB_SLACK_CLIENT_ID, clientSecret: e.WEB_SLACK_CLIENT_SECRET } }
          : {}),
      }
    : undefined;
}

function budgetsOf(e: Env): BudgetLimits {
  return {
    user: {
      day: { usd: e.BUDGET_USER_DAY_USD, images: e.BUDGET_USER_DAY_IMAGES },
      month: { usd: e.BUDGET_USER_MONTH_USD, images: e.BUDGET_USER_MONTH_IMAGES },
    },
    server: {
      day: { usd: e.BUDGET_SERVER_DAY_USD, images: e.BUDGET_SERVER_DAY_IMAGES },
      month: { usd: e.BUDGET_SERVER_MONTH_USD, images: e.BUDGET_SERVER_MONTH_IMAGES },
    },
    global: {
      day: { usd: e.BUDGET_GLOBAL_DAY_USD, images: e.BUDGET_GLOBAL_DAY_IMAGES },
      month: { usd: e.BUDGET_GLOBAL_MONTH_USD, images: e.BUDGET_GLOBAL_MONTH_IMAGES },
    },
  };
}

function storageOf(e: Env): StorageConfig {
  if (e.S3_BUCKET === undefined) return { kind: "local", dir: e.STORAGE_DIR };
  return {
    kind: "s3",
    bucket: e.S3_BUCKET,
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    credentials:
      e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    prefix: e.S3_PREFIX,
  };
}
