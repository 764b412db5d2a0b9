import { S3ServiceException } from "@aws-sdk/client-s3";
import { DiscordAPIError, type REST, Routes } from "discord.js";
import { APIConnectionError, AuthenticationError, NotFoundError, PermissionDeniedError } from "openai";
import type { Config, DiscordConfig, S3StorageConfig } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import { apiModelName, createOpenAIClient } from "../engine/client.js";
import { storageCheck } from "../observability/readiness.js";
import { describeShards, planShards } from "../platforms/discord/shards.js";
import { BOT_SCOPES } from "../platforms/slack/manifest.js";
import { createBlobStore } from "../storage/create-blob-store.js";

/** What one check found: a line for the operator, saying what to fix when it failed. */
export interface CheckOutcome {
  name: string;
  ok: boolean;
  detail: string;
  /** Passed, but with something the operator should change (shown with `!`, the exit code stays 0). */
  warning?: true;
}

/** Run storage takes a file and gives it back, as a job's first write needs. */
export async function checkStorage(config: Config): Promise<CheckOutcome> {
  const storage = config.storage;
  const where = storage.kind === "s3" ? `bucket ${storage.bucket}` : storage.dir;
  try {
    await storageCheck(await createBlobStore(storage)).check();
    return pass("storage", `${where} takes and gives back a file`);
  } catch (error) {
    if (storage.kind === "local")
      return fail("storage", `${where}: ${errorMessage(error)}: make STORAGE_DIR a writable folder`);
    return fail("storage", `${where}: ${s3Fix(error, storage)}`);
  }
}

/** What went wrong with the bucket, in the terms of the variables that fix it. */
function s3Fix(error: unknown, storage: S3StorageConfig): string {
  const at = storage.endpoint ?? "AWS S3";
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  const name = error instanceof Error ? error.name : "";
  if (name === "NoSuchBucket")
    return `does not exist at ${at}: create it, or fix S3_BUCKET (and S3_ENDPOINT, S3_REGION)`;
  if (
    name === "CredentialsProviderError" ||
    ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"].includes(name) ||
    status === 401 ||
    status === 403
  ) {
    return `${at} refused the credentials (${errorMessage(error)}): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and that they may read, write and delete in the bucket`;
  }
  if (status === undefined)
    return `cannot reach ${at} (${errorMessage(error)}): check S3_ENDPOINT and the network`;
  return `${at} answered ${status} (${errorMessage(error)}): check S3_BUCKET, S3_REGION and S3_FORCE_PATH_STYLE`;
}

/** The OpenAI key works and reaches the image models (the default, Finalize's, drafts') and the Responses model. */
export async function checkOpenAI(config: Config): Promise<CheckOutcome> {
  const openai = config.openai;
  if (openai.provider === "azure")
    return pass("openai", "Azure OpenAI: deployments are not listed here; run a job to check them");
  const client = createOpenAIClient(openai);
  const models = [
    ...new Set([openai.defaultImageModel, openai.finalModel, openai.draftModel, openai.responsesModel]),
  ];
  try {
    for (const model of models) await client.models.retrieve(apiModelName(openai, model));
    return pass("openai", `the key reaches ${models.join(" and ")}`);
  } catch (error) {
    if (error instanceof AuthenticationError)
      return fail(
        "openai",
        "OpenAI refused OPENAI_API_KEY: create a key at https://platform.openai.com/api-keys",
      );
    if (error instanceof PermissionDeniedError) {
      return fail(
        "openai",
        "OpenAI refused the model for this organisation: verify it at https://platform.openai.com/settings/organization/general",
      );
    }
    if (error instanceof NotFoundError) {
      return fail(
        "openai",
        `this key cannot use ${models.join(" or ")}: set DEFAULT_IMAGE_MODEL, FINAL_MODEL, DRAFT_MODEL and RESPONSES_MODEL to models it has`,
      );
    }
    if (error instanceof APIConnectionError)
      return fail(
        "openai",
        `cannot reach OpenAI (${errorMessage(error)}): check OPENAI_BASE_URL and the network`,
      );
    return fail("openai", errorMessage(error));
  }
}

/** Bit of the application's flags: the Message Content Intent is on (or on, limited, below 100 servers). */
const MESSAGE_CONTENT_FLAGS = (1 << 19) | (1 << 18);

/**
 * The Discord token works, the Message Content Intent is on if DISCORD_MESSAGE_CONTENT asks for it, and the
 * process's shards exist among the count (Discord's own for `auto`), which is named beside Discord's advice.
 */
export async function checkDiscord(discord: DiscordConfig, rest: REST): Promise<CheckOutcome> {
  try {
    const user = (await rest.get(Routes.user())) as { username: string };
    const application = (await rest.get(Routes.currentApplication())) as { flags?: number };
    if (discord.messageContent && ((application.flags ?? 0) & MESSAGE_CONTENT_FLAGS) === 0) {
      return fail(
        "discord",
        "DISCORD_MESSAGE_CONTENT=true but the Message Content Intent is off: switch it on (Bot tab of the developer portal) or set DISCORD_MESSAGE_CONTENT=false",
      );
    }
    return await checkShards(discord, rest, `logged in as ${user.username}`);
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401)
      return fail("discord", "Discord refused DISCORD_TOKEN: copy the token again from the Bot tab");
    return fail("discord", `${errorMessage(error)}: check DISCORD_TOKEN and DISCORD_API_URL`);
  }
}

/** The shards this process would run, beside the count Discord recommends (`GET /gateway/bot`). */
async function checkShards(discord: DiscordConfig, rest: REST, found: string): Promise<CheckOutcome> {
  const recommended = ((await rest.get(Routes.gatewayBot())) as { shards: number }).shards;
  const shards = await planShards(discord.shards, rest).catch((error: unknown) => errorMessage(error));
  if (typeof shards === "string") return fail("discord", `${found}, but ${shards}`);
  const running = `${found}; runs ${describeShards(shards)}`;
  if (shards.count >= recommended) return pass("discord", `${running} (Discord recommends ${recommended})`);
  return {
    ...pass(
      "discord",
      `${running}, fewer than the ${recommended} Discord recommends: past 2,500 servers a shard is refused (4011); raise DISCORD_SHARD_COUNT or set it to auto`,
    ),
    warning: true,
  };
}

/** What the doctor needs of Slack's Web API: `auth.test` with a token, and the scopes it reports. */
export interface SlackAuth {
  test(token: string): Promise<{ ok?: boolean; team?: string; scopes?: string[] }>;
  openConnection(appToken: string): Promise<void>;
}

/** The bot token works and has every scope of the manifest; the app token opens Socket Mode. */
export async function checkSlack(config: Config, slack: SlackAuth): Promise<CheckOutcome | undefined> {
  const settings = config.slack;
  if (settings === undefined) return undefined;
  try {
    const auth = await slack.test(settings.botToken);
    const granted = new Set(auth.scopes ?? []);
    const missing = BOT_SCOPES.filter((scope) => !granted.has(scope));
    if (missing.length > 0) {
      return fail(
        "slack",
        `SLACK_BOT_TOKEN lacks ${missing.join(", ")}: add them under OAuth & Permissions (npm run slack:manifest lists them) and reinstall the app`,
      );
    }
  } catch (error) {
    return fail(
      "slack",
      `Slack refused SLACK_BOT_TOKEN (${errorMessage(error)}): copy the Bot User OAuth Token again`,
    );
  }
  if (settings.appToken) {
    try {
      await slack.openConnection(settings.appToken);
    } catch (error) {
      return fail(
        "slack",
        `Slack refused SLACK_APP_TOKEN (${errorMessage(error)}): create an app-level token with connections:write`,
      );
    }
  }
  return pass("slack", `the bot token has every scope${settings.appToken ? "; Socket Mode opens" : ""}`);
}

export const pass = (name: string, detail: string): CheckOutcome => ({ name, ok: true, detail });
export const fail = (name: string, detail: string): CheckOutcome => ({ name, ok: false, detail });
