import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import type { AccessList } from "./access/access-list.js";
import type { BudgetLimits } from "./budget/budget-scopes.js";
import { API_MODES, type ApiMode } from "./core/request.js";
import type { RequestDefaults } from "./core/validate-request.js";
import type { DashboardConfig } from "./observability/dashboard.js";
import { PriceOverridesSchema, type PriceTable, withOverrides } from "./pricing/prices.js";

/**
 * The one place that reads the environment. Everything else receives a `Config`.
 * `.env.example` lists these same variables; `test/config.test.ts` fails when the two drift.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const optionalUrl = optionalText.pipe(z.url({ message: "must be an absolute URL (https://…)" }).optional());

const flag = z
  .enum(["true", "false", "1", "0", ""], { message: "must be true or false" })
  .optional()
  .transform((value) => value === "true" || value === "1");

/** A budget: dollars (cents allowed) or images; 0 means none. */
const dollars = (fallback: number) =>
  z.coerce
    .number({ message: "must be a number of dollars" })
    .min(0, "must be 0 (none) or more")
    .default(fallback);
const images = (fallback: number) =>
  z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0).default(fallback);

const positiveInt = (fallback: number) =>
  z.coerce.number({ message: "must be a number" }).int("must be a whole number").positive().default(fallback);

/**
 * An access list: comma-separated ids, empty for everyone. Each id is checked against the platform's id shape,
 * so a channel's name typed instead of its id fails at start-up rather than shutting everyone out.
 */
const idList = (pattern: RegExp, hint: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const ids = (value ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id !== "");
      const bad = ids.filter((id) => !pattern.test(id));
      if (bad.length === 0) return ids;
      ctx.addIssue({ code: "custom", message: `"${bad.join('", "')}": must be ${hint}, comma-separated` });
      return z.NEVER;
    });
const discordIds = idList(/^\d{17,20}$/, "Discord ids (17–20 digits: Developer Mode, then Copy ID)");
const slackIds = idList(/^[A-Z][A-Z0-9]{2,}$/, "Slack ids such as T0123ABCD or C0123ABCD, not names");

/** `gpt-image-2=my-image-deployment,gpt-5.5=my-chat-deployment` → `{ "gpt-image-2": "my-image-deployment", … }` */
const deploymentMap = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const map: Record<string, string> = {};
    for (const pair of (value ?? "").split(",").map((part) => part.trim())) {
      if (pair === "") continue;
      const [model, deployment, ...rest] = pair.split("=").map((part) => part.trim());
      if (!model || !deployment || rest.length > 0) {
        ctx.addIssue({ code: "custom", message: `"${pair}" is not model=deployment` });
        return z.NEVER;
      }
      map[model] = deployment;
    }
    return map;
  });

/** `{"gpt-image-2":{"imageOutput":30}}` → the overrides, each price checked; empty means none. */
const priceOverrides = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === "") return {};
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: 'must be JSON, e.g. {"gpt-image-2":{"imageOutput":30}}' });
      return z.NEVER;
    }
    const parsed = PriceOverridesSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const where = issue.path.join(".");
      ctx.addIssue({ code: "custom", message: where === "" ? issue.message : `${where}: ${issue.message}` });
    }
    return z.NEVER;
  });

/** `runs`, `/runs/` or `runs/` → `runs/`; empty → no prefix. Keys below it are checked like every storage key. */
const s3Prefix = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const trimmed = (value ?? "").trim().replace(/^\/+|\/+$/g, "");
    if (trimmed === "") return "";
    if (
      trimmed.split("/").some((part) => part === "" || part === "." || part === "..") ||
      trimmed.includes("\\")
    ) {
      ctx.addIssue({ code: "custom", message: "must be a folder path such as runs/ (no //, . or .. parts)" });
      return z.NEVER;
    }
    return `${trimmed}/`;
  });

export const EnvSchema = z.object({
  OPENAI_PROVIDER: z.enum(["openai", "azure"], { message: "must be openai or azure" }).default("openai"),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_ORG_ID: optionalText,
  OPENAI_PROJECT_ID: optionalText,
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  AZURE_OPENAI_API_VERSION: z.string().trim().min(1).default("2025-04-01-preview"),
  AZURE_OPENAI_API_KEY: optionalText,
  AZURE_OPENAI_USE_ENTRA_ID: flag,
  AZURE_OPENAI_DEPLOYMENTS: deploymentMap,
  AZURE_OPENAI_IMAGE_DEPLOYMENT: optionalText,
  DEFAULT_IMAGE_MODEL: z.string().trim().min(1).default("gpt-image-2"),
  // `responses` makes every job that does not choose crash-safe (a background response a worker can resume).
  DEFAULT_API: z.enum(API_MODES, { message: "must be images or responses" }).default("images"),
  RESPONSES_MODEL: z.string().trim().min(1).default("gpt-5.5"),
  OPENAI_TIMEOUT_MS: positiveInt(600_000),
  OPENAI_MAX_RETRIES: z.coerce.number({ message: "must be a number" }).int().min(0).max(10).default(3),
  OPENAI_RETRY_BASE_MS: positiveInt(1_000),
  // Empty: a random salt made once and kept in Redis (src/stores/safety-salt.ts), never an empty HMAC key.
  SAFETY_IDENTIFIER_SALT: z.string().default(""),
  OPENAI_PRICES: priceOverrides,
  // The lowest usage tier's limit (tiers: 5, 20, 50, 150, 250): right for any organisation until raised to its own.
  OPENAI_IMAGES_PER_MINUTE: images(5),
  REDIS_URL: z
    .string()
    .trim()
    .default("redis://127.0.0.1:6379")
    .pipe(z.url({ message: "must be a redis:// URL" })),
  // Kept out of REDIS_URL so any character works unescaped; docker-compose.yml gives Redis the same one.
  REDIS_PASSWORD: optionalText,
  QUEUE_PREFIX: z.string().trim().min(1).default("imagine"),
  WORKER_CONCURRENCY: positiveInt(2),
  USER_MAX_ACTIVE_JOBS: z.coerce.number({ message: "must be a number" }).int().min(0).default(3),
  // Safe for a public server out of the box: a daily dollar budget per person and one for everyone.
  BUDGET_USER_DAY_USD: dollars(2),
  BUDGET_USER_DAY_IMAGES: images(0),
  BUDGET_USER_MONTH_USD: dollars(0),
  BUDGET_USER_MONTH_IMAGES: images(0),
  BUDGET_SERVER_DAY_USD: dollars(0),
  BUDGET_SERVER_DAY_IMAGES: images(0),
  BUDGET_SERVER_MONTH_USD: dollars(0),
  BUDGET_SERVER_MONTH_IMAGES: images(0),
  BUDGET_GLOBAL_DAY_USD: dollars(50),
  BUDGET_GLOBAL_DAY_IMAGES: images(0),
  BUDGET_GLOBAL_MONTH_USD: dollars(0),
  BUDGET_GLOBAL_MONTH_IMAGES: images(0),
  STORAGE_DIR: z.string().trim().min(1).default("./runs"),
  // Set: run folders go to this S3-compatible bucket instead of STORAGE_DIR (workers on several machines share it).
  S3_BUCKET: optionalText,
  // `minio:9000` parses as a URL of scheme `minio:`; the SDK needs http(s).
  S3_ENDPOINT: optionalText.pipe(
    z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }).optional(),
  ),
  // Empty, as a blank line of .env leaves it, is the default too.
  S3_REGION: optionalText.transform((value) => value ?? "us-east-1"),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: flag,
  S3_PREFIX: s3Prefix,
  // Run folders older than this are deleted every hour by the workers (0 keeps them for ever).
  RUN_RETENTION_DAYS: z.coerce.number({ message: "must be a number of days" }).int().min(0).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Each bot and worker process serves /healthz, /readyz and /metrics here (0: any free port, logged).
  HTTP_PORT: z
    .string()
    .trim()
    .default("8080")
    .refine((value) => value === "off" || (/^\d+$/.test(value) && Number(value) <= 65_535), {
      message: "must be a port number (0 for any free one) or off",
    })
    .transform((value) => (value === "off" ? undefined : Number(value))),
  HTTP_HOST: z.string().trim().min(1).default("0.0.0.0"),
  // The bot's own address as people reach it (through a proxy): links to originals kept in local storage.
  PUBLIC_BASE_URL: optionalUrl,
  // Empty: a random key made once and kept in Redis (src/stores/shared-secret.ts).
  LINK_SIGNING_SECRET: z.string().default(""),
  // S3's presigned links last at most 7 days (SigV4); the bot's own links are held to the same.
  ORIGINAL_LINK_DAYS: z.coerce
    .number({ message: "must be a number of days" })
    .int("must be a whole number of days")
    .min(1, "must be 1 to 7 days")
    .max(7, "must be 1 to 7 days (S3's presigned links last at most 7)")
    .default(7),
  // Both set: Bull Board at /dashboard on that endpoint, behind basic auth; read-only unless told otherwise.
  DASHBOARD_USER: optionalText,
  DASHBOARD_PASSWORD: optionalText,
  DASHBOARD_READ_ONLY: z
    .enum(["true", "false", "1", "0", ""], { message: "must be true or false" })
    .optional()
    .transform((value) => value !== "false" && value !== "0"),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_MESSAGE_CONTENT: flag,
  DISCORD_API_URL: optionalUrl,
  DISCORD_ALLOWED_GUILDS: discordIds,
  DISCORD_ALLOWED_CHANNELS: discordIds,
  DISCORD_ALLOWED_ROLES: discordIds,
  DISCORD_ADMIN_ROLE_IDS: discordIds,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: positiveInt(3000),
  SLACK_API_URL: optionalUrl,
  SLACK_ALLOWED_TEAMS: slackIds,
  SLACK_ALLOWED_CHANNELS: slackIds,
  SLACK_ALLOWED_USERS: slackIds,
  SLACK_ADMIN_USER_IDS: slackIds,
});

export type Env = z.infer<typeof EnvSchema>;

export interface OpenAIConfig {
  provider: "openai" | "azure";
  apiKey: string | undefined;
  baseURL: string | undefined;
  organization: string | undefined;
  project: string | undefined;
  azure: {
    endpoint: string | undefined;
    apiVersion: string;
    apiKey: string | undefined;
    useEntraId: boolean;
    /** Model name → Azure deployment name. */
    deployments: Record<string, string>;
    /** Sent as `x-ms-oai-image-generation-deployment` with the Responses image tool. */
    imageDeployment: string | undefined;
  };
  defaultImageModel: string;
  /** The API of a request that does not choose one (`--api`, a saved setting). */
  defaultApi: ApiMode;
  responsesModel: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  safetyIdentifierSalt: string;
  /**
   * The organisation's images per minute (0 = no limit): every worker on the queue together starts no more
   * images than this in any minute (src/queue/image-rate.ts), so a burst waits in the queue instead of 429s.
   */
  imagesPerMinute: number;
}

export interface DiscordConfig {
  token: string;
  /** Needed to register commands; the gateway learns it from READY otherwise. */
  applicationId: string | undefined;
  /** Register commands in this guild only (instant) instead of globally. */
  guildId: string | undefined;
  /** The privileged MESSAGE_CONTENT intent is enabled in the developer portal. */
  messageContent: boolean;
  /** REST base URL override (`…/api`), for the fake Discord in tests. */
  apiUrl: string | undefined;
  /** Guilds (`workspaces`), channels and roles allowed to use the bot; empty lists allow everyone. */
  access: AccessList;
  /** Roles whose members are the bot's admins in their server (`/usage` totals and limits), besides Manage Server. */
  adminRoleIds: string[];
}

export interface SlackConfig {
  botToken: string;
  /** HTTP mode: verifies every request. */
  signingSecret: string | undefined;
  /** Socket Mode when set (`xapp-…`). */
  appToken: string | undefined;
  /** HTTP mode's listening port. */
  port: number;
  /** Web API base URL override (`…/api/`), for the fake Slack in tests. */
  apiUrl: string | undefined;
  /** Workspaces, channels and users allowed to use the bot; empty lists allow everyone. */
  access: AccessList;
  /**
   * Members who may act on anyone's job (Cancel) and see and set their workspace's usage and limits
   * (`/imagine usage`); Slack has no per-channel admin the bot could ask.
   */
  adminUserIds: string[];
}

/** An S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, ...) holding the run folders. */
export interface S3StorageConfig {
  kind: "s3";
  bucket: string;
  /** Another store's URL (MinIO, R2); AWS S3 itself when undefined. */
  endpoint: string | undefined;
  /** `us-east-1` by default; `auto` for R2. */
  region: string;
  /** Undefined: the SDK's default chain (AWS_* variables, shared config files, an instance or task role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `endpoint/bucket/key` URLs instead of `bucket.endpoint/key`: MinIO needs it. */
  forcePathStyle: boolean;
  /** Put before every key, e.g. `runs/` (always ending in `/`), or empty. */
  prefix: string;
}

/** Where run folders live: a local directory (`STORAGE_DIR`) or a bucket (`S3_BUCKET`). */
export type StorageConfig = { kind: "local"; dir: string } | S3StorageConfig;

export interface Config {
  openai: OpenAIConfig;
  /** Dollars per million tokens by model: the public prices with `OPENAI_PRICES` merged over them. */
  prices: PriceTable;
  /** Present when DISCORD_TOKEN is set. */
  discord: DiscordConfig | undefined;
  /** Present when SLACK_BOT_TOKEN is set. */
  slack: SlackConfig | undefined;
  redisUrl: string;
  queuePrefix: string;
  workerConcurrency: number;
  /** Per-person fairness (0 = no limit); the CLI, one person on their own machine, is not limited. */
  userLimits: { maxActiveJobs: number };
  /** Dollar and image budgets (0 = none) per person, server or workspace and everyone; per UTC day and month. */
  budgets: BudgetLimits;
  /** Run storage: the bot, every worker and the health check use it. */
  storage: StorageConfig;
  /** `STORAGE_DIR`: the local run storage when no bucket is set, and always the CLI's default `--out`. */
  storageDir: string;
  /** Days a run folder is kept (0: for ever). */
  runRetentionDays: number;
  logLevel: Env["LOG_LEVEL"];
  /** The health and metrics endpoint (`HTTP_PORT`, `HTTP_HOST`); none with `HTTP_PORT=off`. */
  http: { port: number; host: string } | undefined;
  /** Links to originals (`src/links/`): the bot's address, its HMAC key (empty: kept in Redis), their life. */
  links: { publicBaseUrl: string | undefined; secret: string; days: number };
  /** Bull Board on that endpoint, when DASHBOARD_USER and DASHBOARD_PASSWORD are set. */
  dashboard: DashboardConfig | undefined;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

/**
 * What a program needs configured: the CLI and workers need OpenAI; `register-commands` only Discord; the
 * bot's `gateways` need what receives events (Slack's signing secret or app token).
 */
export type ConfigSection = "openai" | "discord" | "slack" | "gateways";

/** Checks that only make sense across variables (which provider needs which credentials). */
function crossChecks(env: Env, needs: readonly ConfigSection[]): string[] {
  const problems: string[] = [];
  if (needs.includes("discord") && !env.DISCORD_TOKEN) {
    problems.push("DISCORD_TOKEN: is required (the bot token from the Discord developer portal, Bot tab)");
  }
  if (needs.includes("slack") && !env.SLACK_BOT_TOKEN) {
    problems.push(
      "SLACK_BOT_TOKEN: is required (the xoxb- token from the Slack app's OAuth & Permissions page)",
    );
  }
  if (needs.includes("gateways") && !env.DISCORD_TOKEN && !env.SLACK_BOT_TOKEN) {
    problems.push(
      "DISCORD_TOKEN, SLACK_BOT_TOKEN: set at least one, for the platform(s) the bot serves (README.md: Discord, Slack)",
    );
  }
  if (
    needs.includes("gateways") &&
    env.SLACK_BOT_TOKEN &&
    !env.SLACK_APP_TOKEN &&
    !env.SLACK_SIGNING_SECRET
  ) {
    problems.push("SLACK_SIGNING_SECRET: is required in HTTP mode; or set SLACK_APP_TOKEN for Socket Mode");
  }
  if (Boolean(env.DASHBOARD_USER) !== Boolean(env.DASHBOARD_PASSWORD)) {
    problems.push("DASHBOARD_USER, DASHBOARD_PASSWORD: set both for the queue dashboard, or neither");
  }
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    problems.push(
      "S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither for the SDK's default credentials (AWS_* variables, a role)",
    );
  }
  if (!needs.includes("openai")) return problems;
  if (env.OPENAI_PROVIDER === "openai" && !env.OPENAI_API_KEY) {
    problems.push("OPENAI_API_KEY: is required (create one at https://platform.openai.com/api-keys)");
  }
  if (env.OPENAI_PROVIDER === "azure") {
    if (!env.AZURE_OPENAI_ENDPOINT) {
      problems.push("AZURE_OPENAI_ENDPOINT: is required when OPENAI_PROVIDER=azure");
    }
    if (!env.AZURE_OPENAI_API_KEY && !env.AZURE_OPENAI_USE_ENTRA_ID) {
      problems.push(
        "AZURE_OPENAI_API_KEY: is required when OPENAI_PROVIDER=azure, unless AZURE_OPENAI_USE_ENTRA_ID=true",
      );
    }
    if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_USE_ENTRA_ID) {
      problems.push("AZURE_OPENAI_USE_ENTRA_ID: cannot be combined with AZURE_OPENAI_API_KEY; set only one");
    }
  }
  return problems;
}

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
  openai: Pick<OpenAIConfig, "defaultImageModel" | "defaultApi">,
): RequestDefaults {
  return { model: openai.defaultImageModel, api: openai.defaultApi };
}

/** REDIS_URL with REDIS_PASSWORD in it, unless the URL has a password of its own (which then wins). */
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
    openai: {
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
      defaultImageModel: e.DEFAULT_IMAGE_MODEL,
      defaultApi: e.DEFAULT_API,
      responsesModel: e.RESPONSES_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
      retryBaseMs: e.OPENAI_RETRY_BASE_MS,
      safetyIdentifierSalt: e.SAFETY_IDENTIFIER_SALT,
      imagesPerMinute: e.OPENAI_IMAGES_PER_MINUTE,
    },
    prices: prices.table,
    discord: e.DISCORD_TOKEN
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
        }
      : undefined,
    slack: e.SLACK_BOT_TOKEN
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
        }
      : undefined,
    redisUrl: withRedisPassword(e.REDIS_URL, e.REDIS_PASSWORD),
    queuePrefix: e.QUEUE_PREFIX,
    workerConcurrency: e.WORKER_CONCURRENCY,
    userLimits: { maxActiveJobs: e.USER_MAX_ACTIVE_JOBS },
    budgets: {
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
    },
    storage: storageOf(e),
    storageDir: e.STORAGE_DIR,
    runRetentionDays: e.RUN_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    http: e.HTTP_PORT === undefined ? undefined : { port: e.HTTP_PORT, host: e.HTTP_HOST },
    links: { publicBaseUrl: e.PUBLIC_BASE_URL, secret: e.LINK_SIGNING_SECRET, days: e.ORIGINAL_LINK_DAYS },
    dashboard:
      e.DASHBOARD_USER && e.DASHBOARD_PASSWORD
        ? { user: e.DASHBOARD_USER, password: e.DASHBOARD_PASSWORD, readOnly: e.DASHBOARD_READ_ONLY }
        : undefined,
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
