import { describe, expect, it } from "vitest";
import { parsePressId } from "../../src/actions/press-id.js";
import { resultActions, splitResultActions } from "../../src/actions/registry.js";
import { galleryComponents, MAX_V2_COMPONENTS } from "../../src/platforms/discord/gallery.js";
import { checkComponentsV2 } from "../fakes/discord/components-v2.js";
import { allComponents, customIds, galleryFiles } from "../helpers/discord-result.js";
import { FIVE_WHOLE, FOUR_PER_IMAGE } from "../helpers/gallery-actions.js";

const RUN = "20261207-043000-0a1b2c3d";
const ACTIONS = [...FIVE_WHOLE, ...FOUR_PER_IMAGE];

function layout(images: number) {
  const files = Array.from({ length: images }, (_, index) => `${RUN}_${index}.png`);
  const components = galleryComponents({
    runId: RUN,
    text: `**Prompt:** pebbles\n\`gpt-image-2\` · job \`${RUN}\``,
    images: files.map((file, index) => ({ file, description: `Image ${index + 1}: pebbles` })),
    actions: splitResultActions(ACTIONS, images),
  });
  return { components, files };
}

describe("which actions go where", () => {
  it("a single image keeps every action under the whole result", () => {
    expect(splitResultActions(ACTIONS, 1)).toEqual({ whole: ACTIONS, perImage: [] });
  });

  it("a gallery puts actions on one image under each image, the rest under the whole result", () => {
    const split = splitResultActions(ACTIONS, 4);
    expect(split.perImage.map(({ name }) => name)).toEqual(["vary", "finalize", "edit", "reference"]);
    expect(split.whole.map(({ name }) => name)).toEqual(["reroll", "refine", "details", "show", "delete"]);
  });

  it("the registry puts Vary, Finalize, Edit, Use as reference and Pin style under each image on Discord and Slack", () => {
    for (const platform of ["discord", "slack"] as const) {
      expect(resultActions({ platform }, 3).perImage.map(({ name }) => name)).toEqual([
        "vary",
        "finalize",
        "edit",
        "reference",
        "pin-style",
      ]);
      expect(resultActions({ platform }, 1).whole.map(({ name }) => name)).toContain("vary");
    }
  });
});

describe("a Discord gallery with four per-image actions", () => {
  it.each([2, 4, 10])("of %i images passes Discord's V2 checks, every image with every action", (images) => {
    const { components, files } = layout(images);
    expect(() => checkComponentsV2({ flags: 1 << 15, components }, new Set(files))).not.toThrow();
    expect(allComponents(components).length).toBeLessThanOrEqual(MAX_V2_COMPONENTS);
    expect(galleryFiles(components)).toEqual(files);
    const presses = customIds(components).map(parsePressId);
    for (let image = 0; image < images; image++) {
      for (const { name } of FOUR_PER_IMAGE) {
        expect(presses).toContainEqual({ action: name, runId: RUN, image });
      }
    }
    for (const { name } of FIVE_WHOLE) expect(presses).toContainEqual({ action: name, runId: RUN });
  });

  it("reads as labelled buttons while they fit, and as one select per action when they would not", () => {
    const labels = (images: number) =>
      allComponents(layout(images).components).flatMap((component) =>
        component.type === 2 ? [(component as { label?: string }).label] : [],
      );
    expect(labels(4)).toEqual(expect.arrayContaining(["Vary 3", "Finalize 3", "Use as reference 4"]));
    const ten = allComponents(layout(10).components);
    expect(ten.filter((component) => component.type === 3)).toHaveLength(FOUR_PER_IMAGE.length);
    expect(labels(10)).not.toContain("Vary 1");
  });
});
