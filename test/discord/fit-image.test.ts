import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { fitImage, previewImage, uploadsFor } from "../../src/platforms/discord/fit-image.js";

const noisy = (width: number, height: number, channels: 3 | 4) =>
  sharp(randomBytes(width * height * channels), {
    raw: { width, height, channels },
  })
    .png()
    .toBuffer();

describe("fitting images under Discord's upload limit", () => {
  it("leaves an image that fits alone", async () => {
    const bytes = await noisy(64, 64, 3);
    expect(await fitImage({ bytes, format: "png" }, "job_0", bytes.length)).toEqual({
      name: "job_0.png",
      bytes,
      contentType: "image/png",
    });
  });

  it("re-encodes, then downscales, keeping transparency as WebP, and says so", async () => {
    const opaque = await noisy(512, 512, 3);
    const fitted = await fitImage({ bytes: opaque, format: "png" }, "job_0", 40_000);
    expect(fitted.bytes.length).toBeLessThanOrEqual(40_000);
    expect(fitted.name).toBe("job_0.jpg");
    expect(fitted.note).toMatch(/shown as \d+x\d+ JPEG \(re-encoded and downscaled/);
    const transparent = await noisy(512, 512, 4);
    const alpha = await fitImage({ bytes: transparent, format: "png" }, "job_1", 40_000);
    expect(alpha.contentType).toBe("image/webp");
    expect((await sharp(alpha.bytes).metadata()).hasAlpha).toBe(true);
  });

  it("shows SVG as a PNG and attaches the SVG too; partial previews are small JPEGs, WebP with transparency", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>',
    );
    const uploads = await uploadsFor({ bytes: svg, format: "svg" }, "job_0", 1_000_000);
    expect(uploads.map((upload) => upload.name)).toEqual(["job_0_preview.png", "job_0.svg"]);
    const preview = await previewImage(
      { bytes: await noisy(1536, 1024, 3), format: "png" },
      "partial_0",
      10_000_000,
    );
    expect(preview.name).toBe("partial_0.jpg");
    expect(await sharp(preview.bytes).metadata()).toMatchObject({ format: "jpeg", width: 768 });
    const transparent = await sharp(await noisy(1536, 1024, 3))
      .ensureAlpha(0.5)
      .png()
      .toBuffer();
    const see = await previewImage({ bytes: transparent, format: "png" }, "partial_1", 10_000_000);
    expect(see.name).toBe("partial_1.webp");
    expect(await sharp(see.bytes).metadata()).toMatchObject({ format: "webp", width: 768, hasAlpha: true });
  });
});
