import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { SlackDriver } from "../fakes/slack/driver.js";
import { type FakeMessage, type FakeSlack, startFakeSlack, type UserFile } from "../fakes/slack/server.js";
import { showsResult } from "../helpers/discord-result.js";
import { showEachPartial } from "../helpers/pace.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { freePort, mentionBot } from "../slack/harness.js";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, startScript, stopCleanly } from "./scripts.js";

/**
 * The Slack bot as its users run it: `npm start` with Slack in HTTP mode next to Discord (the two SDKs in one
 * process, as a deployment with both tokens has them), and Socket Mode with `npm run bot` + `npm run worker`.
 */
const SIGNING_SECRET = "process-signing-secret";
const CHANNEL = "C0FAKECHAN1";
const USER = "U0FAKEUSER1";

let openai: FakeOpenAI;
let slack: FakeSlack;
let discord: FakeDiscord;
let storageDir: string;
let prefix: string;
const started: ScriptProcess[] = [];

beforeAll(async () => {
  openai = await startFakeOpenAI({ latencyMs: 20 });
  slack = await startFakeSlack({ fileReadyDelayMs: 60 });
  discord = await startFakeDiscord();
  prefix = uniquePrefix("process-slack");
  storageDir = await mkdtemp(join(tmpdir(), "imagine-process-slack-"));
});
afterAll(async () => {
  for (const proc of started) await proc.terminate(3_000);
  await Promise.all([openai.close(), slack.close(), discord.close()]);
  await dropPrefix(prefix);
  await rm(storageDir, { recursive: true, force: true });
});
beforeEach(() => {
  openai.reset();
  slack.reset();
});

function run(script: string, env: Record<string, string>): ScriptProcess {
  const proc = startScript(script, {
    ...baseTestEnv(openai.url, prefix, storageDir),
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_API_URL: slack.apiUrl,
    ...env,
  });
  started.push(proc);
  return proc;
}

const running = (proc: ScriptProcess) =>
  proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`);

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
// Not the replies the model's words stream into (`stream`): one status message per run.
const statusMessages = () => slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && !m.stream);
const buttonValue = (m: FakeMessage, action: string) =>
  JSON.stringify(m.blocks).match(new RegExp(`"value":"(${action}:[\\w-]+)"`))?.[1] ?? "";
/** Frames shown in a status message: distinct files in its "Work in progress" versions. */
const framesOf = (m: FakeMessage | undefined) =>
  new Set(
    (m?.history ?? [])
      .filter((version) => JSON.stringify(version.blocks ?? []).includes("Work in progress"))
      .flatMap((version) =>
        [...JSON.stringify(version.blocks ?? []).matchAll(/"slack_file":\{"id":"(\w+)"\}/g)].map((f) => f[1]),
      ),
  ).size;

async function results(count: number): Promise<FakeMessage[]> {
  return waitFor(
    `${count} Slack results`,
    () => {
      const warning = statusMessages().find((m) => (m.text ?? "").startsWith("⚠️"));
      if (warning) throw new Error(`the bot answered: ${warning.text}`);
      const done = statusMessages().filter(isResult);
      return done.length >= count ? done : undefined;
    },
    60_000,
  );
}

async function sharedImage(threadTs: string): Promise<{ format?: string; width?: number; height?: number }> {
  const shared = await waitFor("the shared final", () =>
    slack.messages.find((m) => m.thread_ts === threadTs && m.files?.length),
  );
  const file = shared.files?.[0];
  const response = await fetch(file?.url_private ?? "", { headers: { authorization: "Bearer xoxb-fake" } });
  return sharp(Buffer.from(await response.arrayBuffer())).metadata();
}

describe("npm start with Slack (HTTP mode) and Discord in one process", {
  timeout: PROCESS_TEST_TIMEOUT_MS,
}, () => {
  let bot: ScriptProcess;
  let driver: SlackDriver;
  let first: FakeMessage;
  let port: number;

  it("delivers /imagine with 2 partials to a final image with buttons, on Slack and on Discord", async () => {
    port = await freePort();
    const env = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: String(port),
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.url,
    };
    bot = run("start", env);
    driver = new SlackDriver({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      responseUrl: slack.responseUrl,
    });
    await running(bot);

    showEachPartial(openai, () => framesOf(statusMessages()[0]));
    const ack = await driver.slashCommand({ text: "a lighthouse at dusk --size 1536x1024 --partials 2" });
    expect(ack.status).toBe(200);
    [first] = (await results(1)) as [FakeMessage];
    expect(framesOf(first)).toBe(2);
    expect(buttonValue(first, "reroll")).not.toBe("");
    expect(await sharedImage(first.ts)).toMatchObject({ format: "png", width: 1536, height: 1024 });
    expect(slack.failures).toEqual([]);

    // Discord's uploads in the same process as Bolt (and its undici): the final image arrives.
    openai.pace(undefined);
    const interaction = await discord.slash("imagine", { prompt: "a red barn", partials: 1 });
    const reply = await discord.waitFor(
      () => {
        const message = discord.original(interaction);
        if (message?.content.startsWith("⚠️")) throw new Error(message.content);
        return message && showsResult(message) ? message : undefined;
      },
      60_000,
      "the Discord result",
    );
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
  });

  it("edits an attached image and refines over a turn in the result's thread", async () => {
    slack.reset();
    const circle = await sharp({ create: { width: 256, height: 256, channels: 3, background: "blue" } })
      .png()
      .toBuffer();
    const mention = async (text: string, files: UserFile[]) => {
      const { reply } = await mentionBot(slack, driver, { threadTs: first.ts, text, files });
      expect(reply.status).toBe(200);
    };
    await mention("put the attached circle in the middle", [
      { name: "circle.png", bytes: circle, mimetype: "image/png" },
    ]);
    await results(1);
    await mention("make it night", []);
    await results(2);
    const bodies = openai.requests
      .filter((request) => request.path === "/v1/responses" && request.method === "POST")
      .map((request) => request.json as { previous_response_id?: string; input?: unknown });
    expect(bodies).toHaveLength(2);
    // The attachment was downloaded from the configured Slack host and sent along with the result's image.
    expect((JSON.stringify(bodies[0]?.input).match(/"input_image"/g) ?? []).length).toBe(2);
    expect(bodies[1]?.previous_response_id).toMatch(/^resp_/);
  });

  it("makes a --draft on the draft model, and finalizes it after the private quote's Confirm", async () => {
    slack.reset();
    openai.reset();
    await driver.slashCommand({ text: "a windmill --draft --size 1536x1024" });
    const [draft] = (await results(1)) as [FakeMessage];
    expect(JSON.stringify(draft.blocks)).toMatch(/"text":"draft · model gpt-image-2\.5-flare · /);
    await driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: draft.ts,
      actionId: "imagine_finalize",
      value: buttonValue(draft, "finalize"),
    });
    const quote = await waitFor("the quote", () => slack.ephemerals[0]);
    expect(String(quote.text)).toMatch(
      /^Finalize image 1: 3504x2336 on `gpt-image-2\.5-sunburst` at quality max/,
    );
    const confirm = /"value":"(finalize-go:[\w-]+)"/.exec(JSON.stringify(quote.blocks))?.[1] ?? "";
    await driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: "1765000000.000100",
      actionId: "imagine_finalize-go",
      value: confirm,
      ephemeral: true,
    });
    await results(2);
    const sent = openai.requests
      .filter((request) => request.method === "POST")
      .map(({ json, form }) => {
        const body = (json ?? form?.fields) as Record<string, unknown> | undefined;
        return [body?.model, body?.quality, body?.size];
      });
    expect(sent).toEqual([
      ["gpt-image-2.5-flare", "low", "1536x1024"],
      ["gpt-image-2.5-sunburst", "max", "3504x2336"],
    ]);
  });

  it("stops on SIGTERM within a few seconds; a restarted bot serves the old result's buttons", async () => {
    await stopCleanly(bot);
    bot = run("start", {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: String(port),
    });
    await running(bot);
    slack.reset();
    const click = await driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: first.ts,
      actionId: "imagine_reroll",
      value: buttonValue(first, "reroll"),
    });
    expect(click.status).toBe(200);
    const [reroll] = await results(1);
    expect(JSON.stringify(reroll?.blocks)).toContain("a lighthouse at dusk");
    expect(openai.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    await stopCleanly(bot);
  });
});

describe("Socket Mode with npm run bot plus npm run worker", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("delivers /imagine through the socket, run by the worker process, a gallery's Vary on image 3, privately; the bot alone shows it again", async () => {
    const gateway = run("bot", { SLACK_APP_TOKEN: "xapp-fake" });
    const worker = run("worker", {});
    await Promise.all([running(gateway), running(worker)]);
    await slack.socket.connected();
    showEachPartial(openai, () => framesOf(statusMessages()[0]));
    const driver = new SlackDriver({ socket: slack.socket, responseUrl: slack.responseUrl });
    await driver.slashCommand({ text: "a fox in snow --partials 2" });
    const [result] = await results(1);
    expect(framesOf(result)).toBe(2);
    expect(await sharedImage(result?.ts ?? "")).toMatchObject({ format: "png" });
    // Logged once the result is delivered, so just after the fake saw the final update.
    await worker.waitForLog((line) => line.msg === "job completed", "the worker's job");
    expect(gateway.logs().some((line) => line.msg === "job completed")).toBe(false);

    // n = 4 is a carousel of four cards; Vary on card 3 sends the third final (the file shared as image 3).
    openai.pace(undefined);
    const socketDriver = new SlackDriver({ socket: slack.socket, responseUrl: slack.responseUrl });
    await socketDriver.slashCommand({ text: "four kites --n 4 --partials 0" });
    const gallery = (await results(2))[1] as FakeMessage;
    type Card = {
      hero_image?: { slack_file?: { id?: string } };
      actions?: { action_id: string; value: string }[];
    };
    const carousel = (gallery.blocks as { type: string; elements?: Card[] }[]).find(
      (b) => b.type === "carousel",
    );
    expect(carousel?.elements).toHaveLength(4);
    const third = carousel?.elements?.[2];
    const vary = third?.actions?.find((action) => action.value.startsWith("v2:vary:"));
    openai.reset();
    await socketDriver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: gallery.ts,
      actionId: vary?.action_id ?? "",
      value: vary?.value ?? "",
    });
    await results(3);
    const sent = openai.requests[0]?.form?.files.find((file) => file.field.startsWith("image"));
    const thirdFile = slack.file(third?.hero_image?.slack_file?.id ?? "");
    expect(openai.requests[0]?.path).toBe("/v1/images/edits");
    expect(thirdFile?.bytes && sent?.bytes.equals(thirdFile.bytes)).toBe(true);
    // --private true: the same worker makes it in the person's DM with the app, nothing more in the channel.
    await driver.slashCommand({ text: "a hidden fox --private true --partials 0" });
    const inDm = (await results(4))[3];
    expect(inDm?.channel).toMatch(/^D/);
    expect(inDm?.text).toContain("a hidden fox");
    expect(statusMessages().filter((m) => m.channel === CHANNEL)).toHaveLength(3);
    await stopCleanly(worker);

    // The bot process alone lists and shows it again: nothing is generated, so no worker is needed.
    const jobId = /\(job ([\w-]+)\)/.exec(result?.text ?? "")?.[1] ?? "";
    await driver.slashCommand({ text: "history" });
    const list = await waitFor(
      "the history",
      () => slack.responses.find((answer) => JSON.stringify(answer.blocks ?? []).includes("show:")),
      30_000,
    );
    expect(JSON.stringify(list.blocks)).toContain(`"show:${jobId}"`);
    await driver.slashCommand({ text: `show ${jobId}` });
    const shown = (await results(5))[4];
    expect(shown?.text).toContain(`(job ${jobId})`);
    await stopCleanly(gateway);
  });
});
