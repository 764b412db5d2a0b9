import { z } from "zod";
import { DEFAULT_MODELS, MODEL_NAMES, MODEL_ROLES, MODELS } from "../core/models.js";
import { API_MODES } from "../core/request.js";
import { PriceOverridesSchema } from "../pricing/prices.js";
import { shardCountSchema, shardIdsSchema } from "./discord-shards.js";

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

/** A flag that is on unless set to false (or 0). */
const flagOn = z
  .enum(["true", "false", "1", "0", ""], { message: "must be true or false" })
  .optional()
  .transform((value) => value !== "false" && value !== "0");

/**
 * A budget's text: an empty variable (`BUDGET_USER_DAY_USD=`) means its default, as if unset; a blank left by
 * a template must not silently lift a limit. `0` or `none` says "no limit" on purpose.
 */
const budgetText = (value: unknown) => {
  const text = typeof value === "string" ? value.trim().toLowerCase() : value;
  if (text === "") return undefined;
  return text === "none" ? "0" : text;
};

/** A budget: dollars (cents allowed) or images; 0 (or `none`) means none. */
const dollars = (fallback: number) =>
  z.preprocess(
    budgetText,
    z.coerce
      .number({ message: "must be a number of dollars, or none" })
      .min(0, "must be 0 (none) or more")
      .default(fallback),
  );
const images = (fallback: number) =>
  z.preprocess(
    budgetText,
    z.coerce
      .number({ message: "must be a number, or none" })
      .int("must be a whole number")
      .min(0, "must be 0 (none) or more")
      .default(fallback),
  );

/** A model the bot serves today (a dated snapshot too), lowercased; a retired or unknown name stops the start. */
const currentModel = (fallback: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(fallback)
    .refine((name) => MODELS.has(name), {
      message: `must be a current image model: ${MODEL_NAMES.join(", ")}`,
    });

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

/**
 * `10.0.0.1:7000,10.0.0.2:7000` (or `redis://…`, `rediss://…` URLs) → each node as a URL; empty → none (one
 * Redis, REDIS_URL). The cluster names its other nodes itself: a few seeds are enough.
 */
const clusterNodes = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const nodes: string[] = [];
    for (const entry of (value ?? "").split(",").map((part) => part.trim())) {
      if (entry === "") continue;
      const url = URL.parse(entry.includes("://") ? entry : `redis://${entry}`);
      if (!url || (url.protocol !== "redis:" && url.protocol !== "rediss:") || !url.hostname || !url.port) {
        ctx.addIssue({
          code: "custom",
          message: `"${entry}" is not host:port (or a redis:// URL with a port)`,
        });
        return z.NEVER;
      }
      nodes.push(url.toString());
    }
    return nodes;
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
  DEFAULT_IMAGE_MODEL: z.string().trim().min(1).default(DEFAULT_MODELS.image),
  // `responses` makes every job that does not choose crash-safe (a background response a worker can resume).
  DEFAULT_API: z.enum(API_MODES, { message: "must be images or responses" }).default("images"),
  RESPONSES_MODEL: z.string().trim().min(1).default(DEFAULT_MODELS.responses),
  FINAL_MODEL: currentModel(MODEL_ROLES.final),
  DRAFT_MODEL: currentModel(MODEL_ROLES.draft),
  // Finalize spends at the top price: by default only the requester (or an admin) may press it on a result.
  FINALIZE_BY: z
    .enum(["requester-or-admin", "anyone"], { message: "must be requester-or-admin or anyone" })
    .default("requester-or-admin"),
  // Reads each offered model's shutdown date (GET /models/{id}) at start and daily; off for proxies without it.
  OPENAI_SHUTDOWN_DATES: flagOn,
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
  // Set: a Redis Cluster, and REDIS_URL is not used (docs/redis-cluster.md).
  REDIS_CLUSTER_NODES: clusterNodes,
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
  // This machine only unless told otherwise: /metrics and the dashboard are not for everyone who can reach it.
  HTTP_HOST: z.string().trim().min(1).default("127.0.0.1"),
  // Set: /metrics answers only a request with `Authorization: Bearer <token>` (a Prometheus scrape's credentials).
  METRICS_TOKEN: optionalText,
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
  // The web studio at /studio on the HTTP endpoint above (`npm run web` turns it on): off by default.
  WEB_ENABLED: flag,
  // Empty: a random key made once and kept in Redis; set, changing it ends every studio session at once.
  WEB_SESSION_SECRET: z.string().default(""),
  WEB_SESSION_HOURS: positiveInt(12),
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
  // On unless turned off: the commands then also reach DMs and group DMs through a person's own install.
  DISCORD_ALLOW_USER_INSTALL: z
    .enum(["true", "false", "1", "0", ""], { message: "must be true or false" })
    .optional()
    .transform((value) => value !== "false" && value !== "0"),
  // Set: the web studio offers "Sign in with Discord" (the client id is DISCORD_APPLICATION_ID).
  WEB_DISCORD_CLIENT_SECRET: optionalText,
  // Gateway shards across every bot process, and the ones this process runs (docs/sharding.md).
  DISCORD_SHARD_COUNT: shardCountSchema,
  DISCORD_SHARD_IDS: shardIdsSchema,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: positiveInt(3000),
  SLACK_API_URL: optionalUrl,
  SLACK_ALLOWED_TEAMS: slackIds,
  SLACK_ALLOWED_CHANNELS: slackIds,
  SLACK_ALLOWED_USERS: slackIds,
  SLACK_ADMIN_USER_IDS: slackIds,
  // Both set: the web studio offers "Sign in with Slack" (Basic Information, App Credentials).
  WEB_SLACK_CLIENT_ID: optionalText,
  WEB_SLACK_CLIENT_SECRET: optionalText,
});

export type Env = z.infer<typeof EnvSchema>;
