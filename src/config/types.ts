import type { AccessList } from "../access/access-list.js";
import type { BudgetLimits } from "../budget/budget-scopes.js";
import type { ApiMode } from "../core/request.js";
import type { PriceTable } from "../pricing/prices.js";
import type { Env } from "./schema.js";

/** What each part of the bot receives of the environment, checked (`loadConfig`). */

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
  /** Set when DEFAULT_IMAGE_MODEL named a retired model: that name, mapped to `defaultImageModel` (start logs it). */
  retiredDefaultModel?: { model: string; retiredOn: string };
  /** Whether to read the offered models' shutdown dates from OpenAI (`src/engine/model-dates.ts`). */
  readShutdownDates: boolean;
  /** The API of a request that does not choose one (`--api`, a saved setting). */
  defaultApi: ApiMode;
  responsesModel: string;
  /** What Finalize re-renders on (`FINAL_MODEL`), at that model's top quality. */
  finalModel: string;
  /** What `draft` requests run on (`DRAFT_MODEL`), at low quality. */
  draftModel: string;
  /** Who may Finalize a result (`FINALIZE_BY`): its requester or an admin, or anyone (from their own budget). */
  finalizeBy: "requester-or-admin" | "anyone";
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
  /**
   * People may install the app to their own account and use it in DMs and group DMs (`DISCORD_ALLOW_USER_INSTALL`);
   * off, the commands are registered for servers only and an interaction from a user install is refused.
   */
  allowUserInstall: boolean;
  /** `WEB_DISCORD_CLIENT_SECRET`: people sign in to the web studio with Discord (client id: `applicationId`). */
  signInSecret?: string;
  shards: DiscordShards;
}

/** The gateway shards of `DISCORD_SHARD_COUNT` and `DISCORD_SHARD_IDS` (docs/sharding.md). */
export interface DiscordShards {
  /** Shards across every bot process; `auto`: Discord's recommendation (`GET /gateway/bot`), read at start. */
  count: number | "auto";
  /** The shards this process runs, sorted; undefined: all of them. */
  ids: number[] | undefined;
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
  /** `WEB_SLACK_CLIENT_ID` and `_SECRET`: people sign in to the web studio with Slack. */
  signIn?: { clientId: string; clientSecret: string };
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
  /** REDIS_CLUSTER_NODES: some nodes of a Redis Cluster, as URLs; empty when Redis is the one at `redisUrl`. */
  redisClusterNodes: readonly string[];
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
  http: HttpConfig | undefined;
  /** Links to originals (`src/links/`): the bot's address, its HMAC key (empty: kept in Redis), their life. */
  links: { publicBaseUrl: string | undefined; secret: string; days: number };
  /** Bull Board on that endpoint, when DASHBOARD_USER and DASHBOARD_PASSWORD are set. */
  dashboard: DashboardConfig | undefined;
  /** The web studio at `/studio` on that endpoint, when WEB_ENABLED is true. */
  web: WebConfig | undefined;
}

export interface WebConfig {
  /** HMAC key of the session cookies (`WEB_SESSION_SECRET`); empty: made once and kept in Redis. */
  sessionSecret: string;
  /** How long a sign-in lasts. */
  sessionHours: number;
}

export interface HttpConfig {
  port: number;
  host: string;
  /** `METRICS_TOKEN`: `/metrics` wants it as a bearer token; unset, `/metrics` is open. */
  metricsToken: string | undefined;
}

export interface DashboardConfig {
  user: string;
  password: string;
  /** Look, never touch (no retry, promote, clean or remove): the default, since a click there costs money. */
  readOnly: boolean;
}

/**
 * What a program needs configured: the CLI and workers need OpenAI; `register-commands` only Discord; the
 * bot's `gateways` need what receives events (Slack's signing secret or app token).
 */
export type ConfigSection = "openai" | "discord" | "slack" | "gateways";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}
