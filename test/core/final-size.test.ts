import { describe, expect, it } from "vitest";
import { largestSizeOfAspect } from "../../src/core/final-size.js";
import { getModel } from "../../src/core/models.js";
import { checkSize, parseDimensions } from "../../src/core/size.js";

const sunburst = getModel("gpt-image-2.5-sunburst");
const presetsOnly = getModel("gpt-image-2.6-flare");

const dims = (size: string) => parseDimensions(size) ?? { width: 0, height: 0 };
const pixels = (size: string) => dims(size).width * dims(size).height;

describe("the largest size of an image's aspect", () => {
  it.each([
    ["1024x1024", "2880x2880"],
    ["1536x1024", "3504x2336"],
    ["1024x1536", "2336x3504"],
    ["1920x1088", "3808x2160"],
    ["1536x864", "3840x2160"],
    ["2160x3840", "2160x3840"],
  ])("%s becomes %s on an arbitrary-size model", (image, expected) => {
    expect(largestSizeOfAspect(dims(image), sunburst)).toBe(expected);
  });

  it.each(["1024x1024", "1536x1024", "1024x1536", "3840x1280", "1280x3840", "1000x700", "640x1024"])(
    "%s: a size the model takes, as large as it allows, near the image's aspect",
    (image) => {
      const size = largestSizeOfAspect(dims(image), sunburst);
      expect(checkSize(size, sunburst)).toBe(size);
      const made = dims(size);
      // Bound by the pixel maximum, or (past about 16:9) by the longest side.
      const nearLimit = pixels(size) > 0.95 * 8_294_400 || Math.max(made.width, made.height) > 0.98 * 3840;
      expect(nearLimit).toBe(true);
      const { width, height } = dims(image);
      expect(Math.abs(Math.log(made.width / made.height / (width / height)))).toBeLessThan(0.02);
    },
  );

  it("pulls an aspect past 3:1 into the allowed range", () => {
    const size = largestSizeOfAspect({ width: 4000, height: 1000 }, sunburst);
    expect(checkSize(size, sunburst)).toBe(size);
    expect(dims(size).width / dims(size).height).toBeCloseTo(3, 1);
  });

  it("takes the preset of the same orientation on a preset-only model", () => {
    expect(largestSizeOfAspect(dims("1920x1088"), presetsOnly)).toBe("1536x1024");
    expect(largestSizeOfAspect(dims("1088x1920"), presetsOnly)).toBe("1024x1536");
    expect(largestSizeOfAspect(dims("1024x1024"), presetsOnly)).toBe("1024x1024");
  });
});
