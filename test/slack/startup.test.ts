import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPEN_ACCESS } from "../../src/access/access-list.js";
import type { SlackConfig } from "../../src/config/types.js";
import { createLogger } from "../../src/logger.js";
import { createSlackApp, startSlackApp } from "../../src/platforms/slack/app.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { testRedis, uniquePrefix } from "../helpers/redis.js";
import { freePort } from "./harness.js";

let fake: FakeSlack;
const redis = testRedis();
// HTTP mode's replay memory; no request reaches these apps, so no key is ever written under it.
const memory = { redis, queuePrefix: uniquePrefix("slack-startup") };
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  redis.disconnect();
  await fake.close();
});

const logger = createLogger("silent");
const config = (overrides: Partial<SlackConfig>): SlackConfig => ({
  botToken: "xoxb-fake",
  signingSecret: undefined,
  appToken: "xapp-fake",
  port: 3000,
  apiUrl: fake.apiUrl,
  adminUserIds: [],
  access: OPEN_ACCESS,
  ...overrides,
});

describe("Slack start-up errors say what to fix", () => {
  it("a refused bot token names SLACK_BOT_TOKEN instead of starting a bot that ignores everyone", async () => {
    const bad = config({ botToken: "xoxb-wrong" });
    await expect(startSlackApp(createSlackApp(bad, logger, memory), bad)).rejects.toThrow(
      /Slack refused SLACK_BOT_TOKEN \(.*invalid_auth\)/,
    );
  });

  it("a refused app token names SLACK_APP_TOKEN", async () => {
    const bad = config({ appToken: "xapp-wrong" });
    await expect(startSlackApp(createSlackApp(bad, logger, memory), bad)).rejects.toThrow(
      /Slack refused SLACK_APP_TOKEN/,
    );
  });

  it("a port in use names SLACK_PORT", async () => {
    const port = await freePort();
    const http = config({ appToken: undefined, signingSecret: "secret", port });
    const first = createSlackApp(http, logger, memory);
    await startSlackApp(first, http);
    try {
      await expect(startSlackApp(createSlackApp(http, logger, memory), http)).rejects.toThrow(
        `cannot listen on SLACK_PORT=${port}`,
      );
    } finally {
      await first.stop();
    }
  });

  it("starts in Socket Mode with the right tokens", async () => {
    const good = config({});
    const app = createSlackApp(good, logger, memory);
    await startSlackApp(app, good);
    await app.stop();
  });
});
