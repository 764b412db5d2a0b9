import { DiscordAPIError, REST } from "@discordjs/rest";
import { Routes } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkComponentsV2, IS_COMPONENTS_V2, wantsComponentsV2 } from "./components-v2.js";
import { type FakeDiscord, startFakeDiscord } from "./fake.js";
import { DiscordHttpError } from "./http.js";

const text = (content: string) => ({ type: 10, content });
const button = (custom_id: string) => ({ type: 2, style: 2, label: "Go", custom_id });
const row = (...components: unknown[]) => ({ type: 1, components });
const gallery = (...names: string[]) => ({
  type: 12,
  items: names.map((name) => ({ media: { url: `attachment://${name}` } })),
});
const container = (...components: unknown[]) => ({ type: 17, components });
const select = (custom_id: string, values: string[]) => ({
  type: 3,
  custom_id,
  options: values.map((value) => ({ label: value, value })),
});

const FILES = new Set(["a.png", "b.png"]);
const good = () => ({
  flags: IS_COMPONENTS_V2,
  components: [container(text("hi"), gallery("a.png"), row(button("x")))],
});

/** The 50035 form error's `_errors` code a payload gets, or "accepted". */
function verdict(json: Record<string, unknown>, files: ReadonlySet<string> = FILES): string {
  try {
    checkComponentsV2(json, files);
    return "accepted";
  } catch (error) {
    if (!(error instanceof DiscordHttpError) || error.code !== 50035) throw error;
    return /"code":"([A-Z0-9_]+)"/.exec(JSON.stringify(error.errors))?.[1] ?? "?";
  }
}

describe("the fake's Components V2 checks", () => {
  it("accept a well-formed gallery", () => {
    expect(verdict(good())).toBe("accepted");
  });

  it.each([
    ["content", { ...good(), content: "hello" }, "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2"],
    [
      "embeds",
      { ...good(), embeds: [{ title: "x" }] },
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ],
    [
      "a poll",
      { ...good(), poll: { question: { text: "?" } } },
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ],
    ["stickers", { ...good(), sticker_ids: ["1"] }, "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2"],
    ["a button at the top level", { components: [button("x")] }, "COMPONENT_TYPE_INVALID"],
    [
      "a container in a container",
      { components: [container(container(text("x")))] },
      "COMPONENT_TYPE_INVALID",
    ],
    [
      "41 components",
      { components: Array.from({ length: 41 }, (_, i) => text(`t${i}`)) },
      "BASE_TYPE_MAX_LENGTH",
    ],
    [
      "six buttons in a row",
      { components: [row(...["1", "2", "3", "4", "5", "6"].map(button))] },
      "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ],
    ["an empty row", { components: [row()] }, "COMPONENT_LAYOUT_WIDTH_EXCEEDED"],
    [
      "a select beside a button",
      { components: [row(select("s", ["a"]), button("b"))] },
      "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ],
    [
      "a select of 26 options",
      {
        components: [
          row(
            select(
              "s",
              Array.from({ length: 26 }, (_, i) => `v${i}`),
            ),
          ),
        ],
      },
      "BASE_TYPE_BAD_LENGTH",
    ],
    [
      "a select with a value twice",
      { components: [row(select("s", ["a", "a"]))] },
      "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
    ],
    ["an empty gallery", { components: [gallery()] }, "BASE_TYPE_BAD_LENGTH"],
    [
      "a gallery of 11",
      { components: [gallery(...Array.from({ length: 11 }, () => "a.png"))] },
      "BASE_TYPE_BAD_LENGTH",
    ],
    [
      "an attachment not uploaded",
      { components: [gallery("c.png")] },
      "UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND",
    ],
    ["an empty text display", { components: [text("")] }, "BASE_TYPE_BAD_LENGTH"],
    ["a text display of 4001", { components: [text("x".repeat(4001))] }, "BASE_TYPE_BAD_LENGTH"],
    [
      "4001 characters in all",
      { components: [text("x".repeat(2001)), text("y".repeat(2000))] },
      "MESSAGE_COMPONENTS_TEXT_TOO_LONG",
    ],
    ["a custom id twice", { components: [row(button("x"), button("x"))] }, "COMPONENT_CUSTOM_ID_DUPLICATED"],
    ["a custom id of 101", { components: [row(button("x".repeat(101)))] }, "BASE_TYPE_BAD_LENGTH"],
  ])("refuse %s", (_, json, code) => {
    expect(verdict(json as Record<string, unknown>)).toBe(code);
  });

  it("let an edit set the flag, never clear it", () => {
    expect(wantsComponentsV2({ flags: IS_COMPONENTS_V2 }, 0, true)).toBe(true);
    expect(wantsComponentsV2({}, IS_COMPONENTS_V2, true)).toBe(true);
    expect(() => wantsComponentsV2({ flags: 0 }, IS_COMPONENTS_V2, true)).toThrow(DiscordHttpError);
  });
});

describe("the fake's V2 messages over REST", () => {
  let fake: FakeDiscord;
  let rest: REST;
  beforeAll(async () => {
    fake = await startFakeDiscord();
    rest = new REST({ api: fake.url, retries: 0 }).setToken(fake.token);
  });
  afterAll(() => fake.close());

  it("keep flags and components, refuse content on a V2 message and a cleared flag, with Discord's 50035", async () => {
    const posted = (await rest.post(Routes.channelMessages(fake.channelId), {
      body: { content: "Drawing…" },
    })) as { id: string };
    const route = Routes.channelMessage(fake.channelId, posted.id);
    await rest.patch(route, {
      body: { flags: IS_COMPONENTS_V2, components: [container(text("done"), gallery("a.png"))] },
      files: [{ name: "a.png", data: Buffer.from("not really a png") }],
    });
    const message = fake.message(posted.id);
    expect(message.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(message.content).toBe("");
    expect(message.components).toHaveLength(1);
    const refused = (body: unknown) =>
      rest.patch(route, { body }).then(
        () => undefined,
        (error: unknown) => error,
      );
    for (const body of [{ content: "again" }, { flags: 0, content: "" }]) {
      const error = await refused(body);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).code).toBe(50035);
    }
    // The gallery's file is kept while `attachments` keeps it: a later edit may still point at it.
    const kept = message.attachments.map(({ id }) => ({ id }));
    await rest.patch(route, { body: { components: [gallery("a.png")], attachments: kept } });
    expect(await refused({ components: [gallery("a.png")], attachments: [] })).toBeInstanceOf(
      DiscordAPIError,
    );
  });
});
