import { describe, expect, it } from "vitest";
import { parsePressId } from "../../src/actions/press-id.js";
import { runActionsBlock } from "../../src/platforms/slack/action-elements.js";
import { type GalleryLayout, galleryBlocks } from "../../src/platforms/slack/gallery-blocks.js";
import { blockErrors } from "../fakes/slack/block-checks.js";
import type { FakeSlackState } from "../fakes/slack/state.js";
import { FIVE_WHOLE, FOUR_PER_IMAGE } from "../helpers/gallery-actions.js";

const RUN = "20261207-043000-0a1b2c3d";

/** A workspace where `count` processed PNGs F0… exist. */
function workspace(count: number): FakeSlackState {
  const files = Array.from({ length: count }, (_, i) => [
    `F${i}`,
    { id: `F${i}`, name: `${i}.png`, mimetype: "image/png", shares: [], completedAt: 0 },
  ]);
  return {
    files: new Map(files as [string, never][]),
    fileReadyDelayMs: 0,
    carouselsRefused: false,
  } as unknown as FakeSlackState;
}

/** A whole result message around the gallery: the prompt, the facts, the whole-result buttons. */
function message(layout: GalleryLayout, images: number) {
  const shown = Array.from({ length: images }, (_, index) => ({ index, fileId: `F${index}` }));
  return [
    { type: "section", text: { type: "mrkdwn", text: "<@U1>: pebbles" } },
    { type: "context", elements: [{ type: "mrkdwn", text: "Revised prompt: pebbles on a beach" }] },
    ...galleryBlocks(layout, shown, "pebbles", FOUR_PER_IMAGE, RUN),
    { type: "context", elements: [{ type: "mrkdwn", text: `model gpt-image-2 · job ${RUN}` }] },
    runActionsBlock(FIVE_WHOLE, RUN),
  ];
}

const presses = (blocks: unknown[]) =>
  [...JSON.stringify(blocks).matchAll(/"value":"([^"]+)"/g)].flatMap(
    ([, value]) => parsePressId(value) ?? [],
  );

describe("a Slack gallery with four per-image actions", () => {
  for (const layout of ["carousel", "image-menus"] as const) {
    it.each([2, 4, 10])(
      `as ${layout}, of %i images, passes Slack's checks with every image's actions`,
      (images) => {
        const blocks = message(layout, images);
        expect(blockErrors(workspace(images), blocks)).toBeUndefined();
        for (let image = 0; image < images; image++) {
          for (const { name } of FOUR_PER_IMAGE)
            expect(presses(blocks)).toContainEqual({ action: name, runId: RUN, image });
        }
        for (const { name } of FIVE_WHOLE)
          expect(presses(blocks)).toContainEqual({ action: name, runId: RUN });
      },
    );
  }

  it("puts an image's four actions in one overflow menu where there is no carousel", () => {
    const menus = JSON.stringify(message("image-menus", 3)).match(/"type":"overflow"/g) ?? [];
    expect(menus).toHaveLength(3);
  });
});
