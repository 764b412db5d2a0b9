import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, operatorDefaults, processEnvironment } from "../src/config/load.js";
import { EnvSchema } from "../src/config/schema.js";
import { ConfigError, type ConfigSection } from "../src/config/types.js";
import { requestFromText } from "../src/platforms/slack/listeners/command.js";

/** The variables `.env.example` sets for the bot: not Docker Compose's own (COMPOSE_PROJECT_NAME), read by compose. */
function exampleVariables(): string[] {
  return readFileSync(new URL("../.env.example", import.meta.url), "utf8")
    .split("\n")
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && !name.startsWith("COMPOSE_"));
}

function problemsOf(env: Record<string, string>, needs: ConfigSection[] = ["openai"]): string[] {
  try {
    loadConfig(env, needs);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("config", () => {
  it(".env.example lists exactly the variables the schema reads", () => {
    expect(exampleVariables().sort()).toEqual(Object.keys(EnvSchema.shape).sort());
  });

  it("loads defaults with only an API key", () => {
    const config = loadConfig({ OPENAI_API_KEY: "sk-test" });
    expect(config.redisUrl).toBe("redis://127.0.0.1:6379");
    expect(config.storageDir).toBe("./runs");
    expect(config.storage).toEqual({ kind: "local", dir: "./runs" });
    expect(config.openai.provider).toBe("openai");
    expect(config.openai.maxRetries).toBe(3);
  });

  it("takes Finalize's and drafts' models from the model table's roles, or a current model the operator names", () => {
    const defaults = loadConfig({ OPENAI_API_KEY: "sk-test" }).openai;
    expect([defaults.finalModel, defaults.draftModel, defaults.finalizeBy]).toEqual([
      "gpt-image-2.5-sunburst",
      "gpt-image-2.5-flare",
      "requester-or-admin",
    ]);
    const chosen = loadConfig({
      OPENAI_API_KEY: "sk-test",
      FINAL_MODEL: "GPT-Image-2",
      FINALIZE_BY: "anyone",
    });
    expect([chosen.openai.finalModel, chosen.openai.finalizeBy]).toEqual(["gpt-image-2", "anyone"]);
    const problems = problemsOf({
      OPENAI_API_KEY: "sk-test",
      DRAFT_MODEL: "dall-e-3",
      FINALIZE_BY: "admins",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^DRAFT_MODEL: must be a current image model: gpt-image-2, /),
      "FINALIZE_BY: must be requester-or-admin or anyone",
    ]);
  });

  it("routes requests that choose no API through DEFAULT_API (crash-safe Responses API jobs)", () => {
    const config = loadConfig({ OPENAI_API_KEY: "sk-test", DEFAULT_API: "responses" });
    expect(operatorDefaults(config.openai)).toEqual({
      model: "gpt-image-2",
      api: "responses",
      draftModel: "gpt-image-2.5-flare",
    });
    expect(requestFromText("a heron", operatorDefaults(config.openai)).api).toBe("responses");
    // A request the Responses API cannot make (several images at once) still goes to the Images API.
    expect(requestFromText("a heron --n 2", operatorDefaults(config.openai)).api).toBe("images");
    expect(requestFromText("a heron --api images", operatorDefaults(config.openai)).api).toBe("images");
    expect(operatorDefaults(loadConfig({ OPENAI_API_KEY: "sk-test" }).openai).api).toBe("images");
    expect(problemsOf({ OPENAI_API_KEY: "sk-test", DEFAULT_API: "both" })).toEqual([
      "DEFAULT_API: must be images or responses",
    ]);
  });

  it("starts on the replacement of a retired DEFAULT_IMAGE_MODEL instead of refusing, and reads shutdown dates unless told not to", () => {
    const config = loadConfig({ OPENAI_API_KEY: "sk-test", DEFAULT_IMAGE_MODEL: "gpt-image-1-mini" });
    expect(config.openai.defaultImageModel).toBe("gpt-image-2.5-flare");
    expect(config.openai.retiredDefaultModel).toEqual({ model: "gpt-image-1-mini", retiredOn: "2026-12-01" });
    expect(config.openai.readShutdownDates).toBe(true);
    const current = loadConfig({ OPENAI_API_KEY: "sk-test", OPENAI_SHUTDOWN_DATES: "false" }).openai;
    expect(current.defaultImageModel).toBe("gpt-image-2");
    expect(current.retiredDefaultModel).toBeUndefined();
    expect(current.readShutdownDates).toBe(false);
  });

  it("mounts the queue dashboard only with both its credentials, read-only unless told otherwise", () => {
    const both = { OPENAI_API_KEY: "sk-test", DASHBOARD_USER: "ops", DASHBOARD_PASSWORD: "pw" };
    expect(loadConfig(both).dashboard).toEqual({ user: "ops", password: "pw", readOnly: true });
    expect(loadConfig({ ...both, DASHBOARD_READ_ONLY: "false" }).dashboard?.readOnly).toBe(false);
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).dashboard).toBeUndefined();
    expect(problemsOf({ OPENAI_API_KEY: "sk-test", DASHBOARD_USER: "ops" })).toEqual([
      "DASHBOARD_USER, DASHBOARD_PASSWORD: set both for the queue dashboard, or neither",
    ]);
  });

  it("offers sign-in with Discord and Slack only with the bot it signs people in to, and both halves of Slack's client", () => {
    const discord = {
      OPENAI_API_KEY: "sk-test",
      DISCORD_TOKEN: "t",
      DISCORD_APPLICATION_ID: "123456789012345678",
    };
    expect(loadConfig({ ...discord, WEB_DISCORD_CLIENT_SECRET: "cs" }).discord?.signInSecret).toBe("cs");
    expect(loadConfig(discord).discord?.signInSecret).toBeUndefined();
    expect(
      problemsOf({ OPENAI_API_KEY: "sk-test", DISCORD_TOKEN: "t", WEB_DISCORD_CLIENT_SECRET: "cs" }),
    ).toEqual([
      expect.stringMatching(/^WEB_DISCORD_CLIENT_SECRET: needs DISCORD_TOKEN and DISCORD_APPLICATION_ID/),
    ]);
    const slack = { OPENAI_API_KEY: "sk-test", SLACK_BOT_TOKEN: "xoxb-1" };
    const client = { WEB_SLACK_CLIENT_ID: "1.2", WEB_SLACK_CLIENT_SECRET: "ss" };
    expect(loadConfig({ ...slack, ...client }).slack?.signIn).toEqual({
      clientId: "1.2",
      clientSecret: "ss",
    });
    expect(problemsOf({ ...slack, WEB_SLACK_CLIENT_ID: "1.2" })).toEqual([
      "WEB_SLACK_CLIENT_ID, WEB_SLACK_CLIENT_SECRET: set both for Sign in with Slack, or neither",
    ]);
    expect(problemsOf({ OPENAI_API_KEY: "sk-test", ...client })).toEqual([
      expect.stringMatching(/^WEB_SLACK_CLIENT_ID: needs SLACK_BOT_TOKEN/),
    ]);
  });

  it("reads REDIS_CLUSTER_NODES as the cluster's nodes, REDIS_PASSWORD in each; empty: the one Redis", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).redisClusterNodes).toEqual([]);
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test",
      REDIS_CLUSTER_NODES: " 10.0.0.11:7000, rediss://10.0.0.12:7000 ,",
      REDIS_PASSWORD: "p@ss word",
    });
    expect(config.redisClusterNodes).toEqual([
      "redis://:p%40ss%20word@10.0.0.11:7000",
      "rediss://:p%40ss%20word@10.0.0.12:7000",
    ]);
    expect(problemsOf({ OPENAI_API_KEY: "sk-test", REDIS_CLUSTER_NODES: "10.0.0.11" })).toEqual([
      'REDIS_CLUSTER_NODES: "10.0.0.11" is not host:port (or a redis:// URL with a port)',
    ]);
    expect(
      problemsOf({ OPENAI_API_KEY: "sk-test", REDIS_CLUSTER_NODES: "http://10.0.0.11:7000" }),
    ).toHaveLength(1);
  });

  it("names the missing key", () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^OPENAI_API_KEY: is required/)]);
  });

  it("names each malformed variable and says what is wrong", () => {
    const problems = problemsOf({
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "not a url",
      OPENAI_MAX_RETRIES: "many",
      LOG_LEVEL: "loud",
    });
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringMatching(/^OPENAI_BASE_URL: must be an absolute URL/));
    expect(problems).toContainEqual(expect.stringMatching(/^OPENAI_MAX_RETRIES: must be a number/));
    expect(problems).toContainEqual(expect.stringMatching(/^LOG_LEVEL: /));
  });

  it("configures Azure with a key, deployments and the image tool deployment", () => {
    const config = loadConfig({
      OPENAI_PROVIDER: "azure",
      AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
      AZURE_OPENAI_API_KEY: "azure-key",
      AZURE_OPENAI_DEPLOYMENTS: "gpt-image-2=img, gpt-5.5=chat",
      AZURE_OPENAI_IMAGE_DEPLOYMENT: "img",
    });
    expect(config.openai.azure.deployments).toEqual({ "gpt-image-2": "img", "gpt-5.5": "chat" });
    expect(config.openai.azure.imageDeployment).toBe("img");
    expect(config.openai.apiKey).toBeUndefined();
  });

  it("rejects Azure without credentials, and with both kinds", () => {
    const base = { OPENAI_PROVIDER: "azure", AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com" };
    expect(problemsOf(base)).toEqual([expect.stringMatching(/^AZURE_OPENAI_API_KEY: is required/)]);
    expect(problemsOf({ ...base, AZURE_OPENAI_API_KEY: "k", AZURE_OPENAI_USE_ENTRA_ID: "true" })).toEqual([
      expect.stringMatching(/^AZURE_OPENAI_USE_ENTRA_ID: cannot be combined/),
    ]);
    expect(
      problemsOf({ ...base, AZURE_OPENAI_DEPLOYMENTS: "gpt-image-2", AZURE_OPENAI_USE_ENTRA_ID: "1" }),
    ).toEqual([expect.stringMatching(/^AZURE_OPENAI_DEPLOYMENTS: "gpt-image-2" is not model=deployment/)]);
  });

  it("reads .env under the environment: a variable set in the environment wins, even when empty", () => {
    const file = join(mkdtempSync(join(tmpdir(), "imagine-env-")), ".env");
    writeFileSync(file, "OPENAI_API_KEY=sk-from-file\nQUEUE_PREFIX=file\nSLACK_BOT_TOKEN=xoxb-file\n# c\n");
    const env = processEnvironment(file, { QUEUE_PREFIX: "env", SLACK_BOT_TOKEN: "" });
    const config = loadConfig(env);
    expect(config.openai.apiKey).toBe("sk-from-file");
    expect(config.queuePrefix).toBe("env");
    expect(config.slack).toBeUndefined();
    expect(processEnvironment(join(tmpdir(), "no-such-dir-imagine", ".env"), { A: "1" })).toEqual({ A: "1" });
  });

  it("names every missing variable of the bot at once, a platform token among them", () => {
    expect(problemsOf({}, ["openai", "gateways"])).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN, SLACK_BOT_TOKEN: set at least one/),
      expect.stringMatching(/^OPENAI_API_KEY: is required/),
    ]);
    expect(problemsOf({ OPENAI_API_KEY: "sk-test" }, ["openai"])).toEqual([]);
  });

  it("starts the web studio alone, without a chat token, and only with the HTTP endpoint it is served on", () => {
    const env = { OPENAI_API_KEY: "sk-test", WEB_ENABLED: "true" };
    const config = loadConfig(env, ["openai", "gateways"]);
    expect(config.web).toEqual({ sessionSecret: "", sessionHours: 12 });
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).web).toBeUndefined();
    expect(problemsOf({ ...env, HTTP_PORT: "off" }, ["openai", "gateways"])).toEqual([
      expect.stringMatching(
        /^WEB_ENABLED: the web studio is served on the HTTP endpoint, which HTTP_PORT=off/,
      ),
    ]);
  });

  it("asks for Slack's signing secret or app token only where events are received", () => {
    const env = { OPENAI_API_KEY: "sk-test", SLACK_BOT_TOKEN: "xoxb-test" };
    expect(loadConfig(env, ["openai"]).slack?.botToken).toBe("xoxb-test");
    expect(() => loadConfig(env, ["openai", "gateways"])).toThrow(/SLACK_SIGNING_SECRET: is required/);
  });

  it("stores runs in the S3-compatible bucket S3_BUCKET names, the CLI's folder staying STORAGE_DIR", () => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test",
      STORAGE_DIR: "/var/runs",
      S3_BUCKET: "imagine-runs",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_ACCESS_KEY_ID: "minio",
      S3_SECRET_ACCESS_KEY: "minio-secret",
      S3_FORCE_PATH_STYLE: "true",
      S3_PREFIX: "/runs",
    });
    expect(config.storage).toEqual({
      kind: "s3",
      bucket: "imagine-runs",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      credentials: { accessKeyId: "minio", secretAccessKey: "minio-secret" },
      forcePathStyle: true,
      prefix: "runs/",
    });
    expect(config.storageDir).toBe("/var/runs");
    // AWS itself, credentials from the SDK's default chain, the bucket's top level.
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", S3_BUCKET: "b", S3_REGION: "" }).storage).toMatchObject({
      region: "us-east-1",
    });
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", S3_BUCKET: "b", S3_REGION: "auto" }).storage).toEqual({
      kind: "s3",
      bucket: "b",
      endpoint: undefined,
      region: "auto",
      credentials: undefined,
      forcePathStyle: false,
      prefix: "",
    });
  });

  it("names S3 settings that cannot work", () => {
    const base = { OPENAI_API_KEY: "sk-test", S3_BUCKET: "imagine-runs" };
    expect(problemsOf({ ...base, S3_ACCESS_KEY_ID: "minio" })).toEqual([
      expect.stringMatching(/^S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither/),
    ]);
    expect(problemsOf({ ...base, S3_ENDPOINT: "minio:9000" })).toEqual([
      expect.stringMatching(/^S3_ENDPOINT: must be an http:\/\/ or https:\/\/ URL/),
    ]);
    expect(problemsOf({ ...base, S3_PREFIX: "runs/../other" })).toEqual([
      expect.stringMatching(/^S3_PREFIX: must be a folder path/),
    ]);
  });
  it("reads an empty budget variable as the default .env.example gives it; 0 or none means no limit", () => {
    const example = readFileSync(".env.example", "utf8");
    const budgetDefaults = [...example.matchAll(/^(BUDGET_\w+)=(.*)$/gm)].map(([, name, value]) => [
      name ?? "",
      Number(value),
    ]);
    expect(budgetDefaults).toHaveLength(12);
    const blanks = Object.fromEntries(budgetDefaults.map(([name]) => [name, ""]));
    const blank = loadConfig({ OPENAI_API_KEY: "sk-test", ...blanks }).budgets;
    expect(blank).toEqual(loadConfig({ OPENAI_API_KEY: "sk-test" }).budgets);
    expect(blank.user.day.usd).toBe(2);
    expect(blank.global.day.usd).toBe(50);
    for (const [name, value] of budgetDefaults) {
      const [, kind, period, unit] = String(name).toLowerCase().split("_") as [string, "user", "day", "usd"];
      expect(blank[kind][period][unit], String(name)).toBe(value);
    }
    const lifted = loadConfig({
      OPENAI_API_KEY: "sk-test",
      BUDGET_USER_DAY_USD: "none",
      BUDGET_GLOBAL_DAY_USD: "0",
    });
    expect(lifted.budgets.user.day.usd).toBe(0);
    expect(lifted.budgets.global.day.usd).toBe(0);
    expect(problemsOf({ OPENAI_API_KEY: "sk-test", BUDGET_GLOBAL_DAY_USD: "lots" })).toEqual([
      "BUDGET_GLOBAL_DAY_USD: must be a number of dollars, or none",
    ]);
  });
});
