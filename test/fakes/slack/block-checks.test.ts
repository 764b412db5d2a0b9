import { describe, expect, it } from "vitest";
import { blockErrors } from "./block-checks.js";
import type { FakeSlackState } from "./state.js";

/** A workspace with two processed PNGs (F1, F2), one still processing (F3) and one WebP (F4). */
function workspace(carouselsRefused = false): FakeSlackState {
  const file = (id: string, mimetype: string, completedAt: number | undefined) => ({
    id,
    name: `${id}.png`,
    mimetype,
    shares: [],
    ...(completedAt === undefined ? {} : { completedAt }),
  });
  return {
    files: new Map([
      ["F1", file("F1", "image/png", 0)],
      ["F2", file("F2", "image/png", 0)],
      ["F3", file("F3", "image/png", undefined)],
      ["F4", file("F4", "image/webp", 0)],
    ]),
    fileReadyDelayMs: 0,
    carouselsRefused,
  } as unknown as FakeSlackState;
}

const button = (action_id: string, value = "v", text = "Vary") => ({
  type: "button",
  action_id,
  value,
  text: { type: "plain_text", text },
});
const card = (fileId: string, extra: Record<string, unknown> = {}) => ({
  type: "card",
  hero_image: { type: "image", slack_file: { id: fileId }, alt_text: "a boat" },
  title: { type: "mrkdwn", text: "Image 1" },
  actions: [button(`vary_${fileId}`)],
  ...extra,
});
const carousel = (...cards: unknown[]) => ({ type: "carousel", elements: cards });
const overflow = (count: number) => ({
  type: "actions",
  elements: [
    {
      type: "overflow",
      action_id: "menu",
      options: Array.from({ length: count }, (_, i) => ({
        text: { type: "plain_text", text: `o${i}` },
        value: `${i}`,
      })),
    },
  ],
});

const verdict = (blocks: unknown[], state = workspace()) => blockErrors(state, blocks)?.[0] ?? "accepted";

describe("the fake Slack's checks of carousels, cards and menus", () => {
  it("accept a carousel of processed images and an overflow of 2 to 5 options", () => {
    expect(verdict([carousel(card("F1"), card("F2"))])).toBe("accepted");
    expect(
      verdict([overflow(2), { ...overflow(5), elements: [{ ...overflow(5).elements[0], action_id: "m2" }] }]),
    ).toBe("accepted");
  });

  it.each([
    ["an empty carousel", [carousel()], /between 1 and 10 elements/],
    [
      "a carousel of 11 cards",
      [carousel(...Array.from({ length: 11 }, (_, i) => card("F1", { actions: [button(`a${i}`)] })))],
      /between 1 and 10/,
    ],
    ["an empty card", [carousel({ type: "card" })], /one of hero_image, title, actions or body/],
    [
      "a section in a carousel",
      [carousel({ type: "section", text: { type: "mrkdwn", text: "x" } })],
      /must be a card/,
    ],
    ["a card outside a carousel", [card("F1")], /inside a carousel/],
    [
      "a title of 151 characters",
      [carousel(card("F1", { title: { type: "mrkdwn", text: "x".repeat(151) } }))],
      /less than 151/,
    ],
    [
      "a body of 201 characters",
      [carousel(card("F1", { body: { type: "mrkdwn", text: "x".repeat(201) } }))],
      /less than 201/,
    ],
    ["a hero image still processing", [carousel(card("F3"))], /invalid slack file/],
    ["an unknown hero image", [carousel(card("F9"))], /invalid slack file/],
    ["a WebP hero image", [carousel(card("F4"))], /unsupported image type/],
    [
      "a card action that is no button",
      [carousel(card("F1", { actions: [{ type: "overflow", action_id: "m", options: [] }] }))],
      /must be a button/,
    ],
    [
      "a button text of 76",
      [{ type: "actions", elements: [button("b", "v", "x".repeat(76))] }],
      /less than 76/,
    ],
    [
      "a button value of 2001",
      [{ type: "actions", elements: [button("b", "x".repeat(2001))] }],
      /less than 2001/,
    ],
    [
      "an action id twice",
      [carousel(card("F1", { actions: [button("same")] }), card("F2", { actions: [button("same")] }))],
      /already exists/,
    ],
    ["an action id of 256", [{ type: "actions", elements: [button("x".repeat(256))] }], /less than 256/],
    ["an overflow of 1 option", [overflow(1)], /between 2 and 5 options/],
    ["an overflow of 6 options", [overflow(6)], /between 2 and 5 options/],
    ["51 blocks", Array.from({ length: 51 }, () => ({ type: "divider" })), /no more than 50/],
  ])("refuse %s", (_, blocks, error) => {
    expect(verdict(blocks)).toMatch(error);
  });

  it("refuse every carousel in a workspace without them", () => {
    expect(verdict([carousel(card("F1"))], workspace(true))).toMatch(/unsupported type: carousel/);
  });
});
