import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EDIT_REGION_LINK_MS,
  type EditRegionLink,
  readEditRegionLink,
  signEditRegionLink,
} from "../../src/links/edit-region-link.js";
import { webPlatform } from "../../src/platforms/web/index.js";
import { studioSessions } from "../../src/platforms/web/session.js";
import type { StudioMe, StudioUser } from "../../src/platforms/web/studio-api.js";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import type { FakeUser } from "../fakes/discord/types.js";
import { customIds, jobIdOf, showsResult } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { runForm, StudioClient } from "../web/studio-client.js";
import { botReplyTo, type DiscordBot, startDiscordBot } from "./harness.js";

const LINK_SECRET = "test-edit-region-link-secret";
const SESSION_SECRET = "test-edit-region-session-secret";
const PUBLIC = "https://imagine.example.com";

let bot: DiscordBot;
let base: string;
let result: FakeMessage;
let jobId: string;

/** A browser signed in to the studio as `person`'s Discord account (what C's sign-in with Discord makes). */
function signedInAs(person: FakeUser): StudioClient {
  const user: StudioUser = { platform: "discord", id: person.id, name: person.username, admin: false };
  let cookie = "";
  const res = { appendHeader: (_: string, value: string) => (cookie = value.split(";")[0] ?? "") };
  studioSessions({ secret: SESSION_SECRET, hours: 1, secure: false }).signIn(
    res as unknown as ServerResponse,
    user,
  );
  const client = new StudioClient(base);
  client.cookieHeader = cookie;
  return client;
}

/** The private answer to a press: its text and its one link button. */
async function linkAnswer(click: FakeInteraction) {
  await waitFor("the private answer", () => click.callbackType);
  expect(click.callbackData?.flags).toBe(64);
  const rows = (click.callbackData?.components ?? []) as { components: Record<string, unknown>[] }[];
  const buttons = rows.flatMap((row) => row.components);
  expect(buttons, String(click.callbackData?.content)).toHaveLength(1);
  return { content: String(click.callbackData?.content ?? ""), button: buttons[0] ?? {} };
}

const tokenOf = (url: string) => new URL(url).searchParams.get("link") ?? "";

/** A fresh link for `image` of the result, pressed by alice. */
async function pressedLink(): Promise<string> {
  const click = await bot.discord.click(result, `edit-region:${jobId}`);
  return tokenOf(String((await linkAnswer(click)).button.url));
}

/** A mask the size of the result's 1024x1024 final: white (change) on the top half, black below. */
const halfMask = () =>
  sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#000000" } })
    .composite([
      {
        input: { create: { width: 1024, height: 512, channels: 3, background: "#ffffff" } },
        top: 0,
        left: 0,
      },
    ])
    .png()
    .toBuffer();

const editForm = async (token: string) =>
  runForm(
    "make the sky purple",
    { quality: "low", partials: 0 },
    [{ field: "mask", name: "mask.png", type: "image/png", bytes: await halfMask() }],
    { link: token },
  );

async function submit(client: StudioClient, token: string) {
  await client.me();
  const res = await client.postRun(await editForm(token));
  return {
    status: res.status,
    body: (await res.json()) as { runId?: string; postedTo?: string; error?: string },
  };
}

beforeAll(async () => {
  bot = await startDiscordBot("discord-edit-region", {
    env: {
      WEB_ENABLED: "true",
      WEB_SESSION_SECRET: SESSION_SECRET,
      LINK_SIGNING_SECRET: LINK_SECRET,
      PUBLIC_BASE_URL: PUBLIC,
    },
    alongside: (config, storageDir) =>
      config.web
        ? [webPlatform(config.web, { pageDir: join(storageDir, "no-page"), printLink: () => {} })]
        : [],
  });
  const port = bot.running.http?.port;
  if (port === undefined) throw new Error("no HTTP endpoint");
  base = `http://127.0.0.1:${port}`;
  result = await bot.finalReply(
    await bot.discord.slash("imagine", { prompt: "a lighthouse at dusk", quality: "low", partials: 0 }),
  );
  jobId = jobIdOf(result);
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("Edit region on Discord", () => {
  it("is offered under a result and answers the presser privately with a link to that run, image and person", async () => {
    expect(customIds(result.components)).toContain(`edit-region:${jobId}`);
    const click = await bot.discord.click(result, `edit-region:${jobId}`);
    const { content, button } = await linkAnswer(click);
    expect(content).toMatch(/expires in 15 minutes; nothing is spent until you submit/);
    expect(button).toMatchObject({ type: 2, style: 5, label: "Open in the studio" });
    expect(button.custom_id).toBeUndefined();
    const url = String(button.url);
    expect(url.startsWith(`${PUBLIC}/studio/edit-region?link=`)).toBe(true);
    const link: EditRegionLink = readEditRegionLink(LINK_SECRET, tokenOf(url));
    expect(link).toMatchObject({
      purpose: "edit-region",
      runId: jobId,
      image: 0,
      user: { platform: "discord", id: bot.discord.user.id, workspace: bot.discord.world.guildId },
      place: { platform: "discord", channel: result.channel_id, message: result.id },
    });
    expect(link.expires - Date.now()).toBeGreaterThan(EDIT_REGION_LINK_MS - 60_000);
    expect(bot.openai.requests).toHaveLength(0);
  });

  it("opens the studio on that image, and the submit with a mask comes back as a turn in a thread on the result", async () => {
    const token = await pressedLink();
    const alice = signedInAs(bot.discord.user);
    const page = await alice.fetch(`/studio/edit-region?link=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    // The page asks who is signed in as on any visit, and finds the link it was opened from.
    const me = await alice.me();
    const asked = (await (
      await alice.fetch(`/studio/api/me?link=${encodeURIComponent(token)}`)
    ).json()) as StudioMe;
    expect(asked.editRegion).toEqual(me.editRegion);
    expect(me.editRegion).toMatchObject({
      link: token,
      runId: jobId,
      image: 0,
      returnsTo: "a Discord thread on your image",
    });
    const final = await readFile(join(bot.storageDir, jobId, "final_0.png"));
    const image = await alice.fetch(me.editRegion?.imageUrl ?? "");
    expect(Buffer.from(await image.arrayBuffer()).equals(final)).toBe(true);

    const { status, body } = await submit(alice, token);
    expect(body.error).toBeUndefined();
    expect(status).toBe(202);
    expect(body.postedTo).toBe("the Discord thread on your image");
    expect((await alice.me()).editRegion).toBeUndefined();
    const thread = bot.discord.world.channels.get(result.id);
    expect(thread?.type).toBe(11);
    const turn = await waitFor(
      "the edit's result in the thread",
      () =>
        [...bot.discord.world.messages.values()].find(
          (message) => message.channel_id === result.id && showsResult(message),
        ),
      20_000,
    );
    expect(customIds(turn.components)).toEqual(
      expect.arrayContaining([`reroll:${body.runId}`, `edit-region:${body.runId}`]),
    );

    const [request] = bot.openai.requests;
    expect(request?.path).toBe("/v1/images/edits");
    expect(request?.form?.fields.prompt).toBe("make the sky purple");
    const sent = request?.form?.files.find((file) => file.field.startsWith("image"));
    expect(sent?.bytes.equals(final)).toBe(true);
    const mask = request?.form?.files.find((file) => file.field === "mask");
    if (mask === undefined) throw new Error("no mask was sent");
    // White (change) became transparent; black (keep) opaque.
    const { data, info } = await sharp(mask.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([1024, 1024]);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3];
    expect(alphaAt(10, 10)).toBe(0);
    expect(alphaAt(10, 1000)).toBe(255);

    // Submitted once: the same link again is refused, and nothing more reaches OpenAI.
    await bot.idle();
    const again = await submit(alice, token);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatch(/^This Edit region link was already used/);
    expect(bot.openai.requests).toHaveLength(1);
  });

  it.each([
    [
      "an expired link",
      (link: EditRegionLink) => signEditRegionLink(LINK_SECRET, link, Date.now() - EDIT_REGION_LINK_MS - 1),
      /This Edit region link has expired \(links last 15 minutes\)/,
    ],
    [
      "a tampered link",
      (link: EditRegionLink) =>
        signEditRegionLink(LINK_SECRET, link).replace(/^./, (c) => (c === "e" ? "f" : "e")),
      /This Edit region link is not valid \(it was changed or cut short\)/,
    ],
    [
      "a link signed with another key",
      (link: EditRegionLink) => signEditRegionLink("another key", link),
      /This Edit region link is not valid \(it was changed or cut short\)/,
    ],
  ])("refuses %s in one sentence, on the page and on submit, spending nothing", async (_, make, sentence) => {
    const link = readEditRegionLink(LINK_SECRET, await pressedLink());
    const token = make(link);
    const alice = signedInAs(bot.discord.user);
    const person = { kind: "user" as const, id: `discord:${bot.discord.user.id}` };
    const before = await bot.running.context.budget.spent(person, "day");
    const page = await alice.fetch(`/studio/edit-region?link=${encodeURIComponent(token)}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toMatch(sentence);
    const { status, body } = await submit(alice, token);
    expect(status).toBe(400);
    expect(body.error).toMatch(sentence);
    expect(bot.openai.requests).toHaveLength(0);
    expect(await bot.running.context.budget.spent(person, "day")).toEqual(before);
  });

  it("refuses the link to another signed-in person, and sends a signed-out one to sign in first", async () => {
    const token = await pressedLink();
    const bob = signedInAs(bot.discord.otherUser);
    const page = await bob.fetch(`/studio/edit-region?link=${encodeURIComponent(token)}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toMatch(/made for someone else/);
    const { status, body } = await submit(bob, token);
    expect(status).toBe(400);
    expect(body.error).toBe(
      "This Edit region link was made for someone else; press Edit region under the image yourself, signed in as you.",
    );
    const signedOut = await new StudioClient(base).fetch(
      `/studio/edit-region?link=${encodeURIComponent(token)}`,
    );
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe(
      `/studio/sign-in?next=${encodeURIComponent(`/studio/edit-region?link=${encodeURIComponent(token)}`)}`,
    );
    expect(bot.openai.requests).toHaveLength(0);
    // Refused submits took nothing: the person it was made for may still use it.
    const alice = await submit(signedInAs(bot.discord.user), token);
    expect(alice.status).toBe(202);
  });

  it("continues a Responses thread from the turn it edits: its previous_response_id, answered in that thread", async () => {
    const seed = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a harbour", quality: "low", partials: 0 }),
    );
    const click = await bot.discord.click(seed, `refine:${jobIdOf(seed)}`);
    await waitFor("the thread", () => click.callbackType);
    const threadId = seed.id;
    const said = await bot.discord.say({ channelId: threadId, content: "make it night", mention: true });
    const turnReply = await botReplyTo(bot, said);
    const turnRun = jobIdOf(turnReply);
    const address = { platform: "discord", workspace: bot.discord.world.guildId, thread: threadId };
    const [turn] = await bot.running.context.threads.turns(address);
    expect(turn?.jobId).toBe(turnRun);
    // Not reset: the fake OpenAI keeps the stored responses a chain continues from.
    await bot.idle();
    const asked = bot.openai.requests.length;

    const press = await bot.discord.click(turnReply, `edit-region:${turnRun}`);
    const token = tokenOf(String((await linkAnswer(press)).button.url));
    expect(readEditRegionLink(LINK_SECRET, token).place).toMatchObject({
      channel: threadId,
      thread: threadId,
    });
    const { status, body } = await submit(signedInAs(bot.discord.user), token);
    expect(body.error).toBeUndefined();
    expect(status).toBe(202);
    expect(body.postedTo).toBe("your Discord thread");
    const edited = await waitFor(
      "the edit in the thread",
      () =>
        [...bot.discord.world.messages.values()].find(
          (message) =>
            message.channel_id === threadId &&
            message.message_reference?.message_id === turnReply.id &&
            showsResult(message),
        ),
      20_000,
    );
    expect(jobIdOf(edited)).toBe(body.runId);
    const request = bot.openai.requests[asked];
    expect(request?.path).toBe("/v1/responses");
    const sent = request?.json as { previous_response_id?: string; tools?: { input_image_mask?: unknown }[] };
    expect(sent.previous_response_id).toBe(turn?.responseId);
    expect(JSON.stringify(sent.tools)).toContain("input_image_mask");
    const turns = await bot.running.context.threads.turns(address);
    expect(turns.at(-1)).toMatchObject({ jobId: body.runId, parentJobId: turnRun });
  });

  it("answers in the channel under the image when Discord will not open a thread there", async () => {
    const seed = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a quiet bay", quality: "low", partials: 0 }),
    );
    const click = await bot.discord.click(seed, `edit-region:${jobIdOf(seed)}`);
    const token = tokenOf(String((await linkAnswer(click)).button.url));
    bot.discord.fail({
      match: /^POST .*\/messages\/\d+\/threads$/,
      status: 403,
      code: 50013,
      message: "Missing Permissions",
    });
    const { status, body } = await submit(signedInAs(bot.discord.user), token);
    expect(body.error).toBeUndefined();
    expect(status).toBe(202);
    expect(body.postedTo).toBe("your Discord channel, under the image");
    expect(bot.discord.world.channels.get(seed.id)).toBeUndefined();
    const edited = await waitFor(
      "the edit under the image",
      () =>
        [...bot.discord.world.messages.values()].find(
          (message) =>
            message.channel_id === seed.channel_id &&
            message.message_reference?.message_id === seed.id &&
            showsResult(message),
        ),
      20_000,
    );
    expect(jobIdOf(edited)).toBe(body.runId);
  });
});
