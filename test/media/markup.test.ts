import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { checkInputHeaders, prepareInputs, type RawFile } from "../../src/media/check-inputs.js";
import { solid } from "./fixtures.js";

/** A transparent canvas with an opaque red stroke: what a person draws to guide an edit. */
function arrows(width: number, height: number) {
  return sharp({ create: { width, height, channels: 4, background: "#0000" } })
    .composite([
      {
        input: { create: { width: 8, height: Math.floor(height / 2), channels: 4, background: "#f00f" } },
        left: 4,
        top: 4,
      },
    ])
    .png()
    .toBuffer();
}

async function refusal(run: () => Promise<unknown>): Promise<UserError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const photo = async (width = 64, height = 64): Promise<RawFile> => ({
  name: "photo.png",
  bytes: await solid(width, height, "#336699"),
});

describe("markup: checked like a mask, sent as drawn", () => {
  it("passes a transparent PNG the first image's size through the header check and the worker", async () => {
    const markup = { name: "notes.png", bytes: await arrows(64, 64) };
    const headers = await checkInputHeaders([await photo()], undefined, { markup });
    expect(headers.markup).toMatchObject({ name: "markup.png", contentType: "image/png" });
    expect(headers.markup?.bytes.equals(markup.bytes)).toBe(true);
    const prepared = await prepareInputs([await photo()], undefined, { markup });
    expect(prepared.markup?.bytes.equals(markup.bytes)).toBe(true);
    expect(prepared.mask).toBeUndefined();
  });

  it("is scaled with an image larger than any model uses, to the size the image is sent at", async () => {
    const big = await photo(4800, 2400);
    const markup = { name: "notes.png", bytes: await arrows(4800, 2400) };
    const prepared = await prepareInputs([big], undefined, { markup });
    const sent = await sharp(prepared.images[0]?.bytes).metadata();
    const drawn = await sharp(prepared.markup?.bytes).metadata();
    expect([drawn.width, drawn.height, drawn.hasAlpha]).toEqual([sent.width, sent.height, true]);
    expect([sent.width, sent.height]).toEqual([4096, 2048]);
  });

  it.each([
    [
      "markup_format_unsupported",
      () => solid(64, 64, "#fff", "webp"),
      /^The markup \(notes.png\) is a WEBP file; the markup must be a PNG with transparency/,
    ],
    ["markup_without_alpha", () => solid(64, 64, "#fff"), /has no transparency, so it would hide the image/],
    ["markup_size_mismatch", () => arrows(32, 64), /^The markup is 32x64 but the first image is 64x64/],
  ] as const)("refuses %s at the header, before anything is sent", async (code, make, message) => {
    const markup = { name: "notes.png", bytes: await make() };
    const error = await refusal(async () => checkInputHeaders([await photo()], undefined, { markup }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("refuses in the worker a PNG whose alpha has no fully transparent pixel", async () => {
    const opaque = await sharp({ create: { width: 64, height: 64, channels: 4, background: "#fff8" } })
      .png()
      .toBuffer();
    const markup = { name: "notes.png", bytes: opaque };
    const error = await refusal(async () => prepareInputs([await photo()], undefined, { markup }));
    expect(error.code).toBe("markup_opaque");
    expect(error.message).toMatch(/has no fully transparent pixel/);
  });

  it("refuses a markup with a mask, and one without an image", async () => {
    const markup = { name: "notes.png", bytes: await arrows(64, 64) };
    const mask = { name: "mask.png", bytes: await arrows(64, 64) };
    expect((await refusal(async () => checkInputHeaders([await photo()], mask, { markup }))).code).toBe(
      "markup_with_mask",
    );
    expect((await refusal(() => checkInputHeaders([], undefined, { markup }))).code).toBe(
      "markup_needs_image",
    );
  });
});
