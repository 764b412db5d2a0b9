import { describe, expect, it } from "vitest";
import { blendOptions, blendPrompt, checkBlendCount } from "../../src/core/blend.js";
import { UserError } from "../../src/core/errors.js";
import { MODELS } from "../../src/core/models.js";
import { checkSize } from "../../src/core/size.js";

describe("blend", () => {
  it("names how many images, asks for one scene, then the person's words", () => {
    expect(blendPrompt(3)).toMatch(/^Blend the 3 input images into one coherent new image: .*not a collage/);
    expect(blendPrompt(2, "  at dawn. ")).toMatch(/^at dawn\. Blend the 2 input images .*side by side\.$/);
    expect(blendPrompt(2, "   ")).toBe(blendPrompt(2));
  });

  it("takes 2 to 5 images, each other count in one sentence", () => {
    for (const count of [2, 3, 4, 5]) expect(() => checkBlendCount(count)).not.toThrow();
    for (const count of [0, 1, 6]) {
      const error = (() => {
        try {
          checkBlendCount(count);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(`Blend takes 2 to 5 images; you gave ${count}.`);
    }
  });

  it("maps each aspect to a size every model takes, and leaves the size to the model without one", () => {
    const sizes = (["square", "landscape", "portrait"] as const).map(
      (aspect) => blendOptions({ aspect }, 2).size as string,
    );
    expect(sizes).toEqual(["1024x1024", "1536x1024", "1024x1536"]);
    for (const model of MODELS.values()) for (const size of sizes) expect(checkSize(size, model)).toBe(size);
    expect(blendOptions({ quality: "low" }, 2)).toEqual({ quality: "low", prompt: blendPrompt(2) });
  });
});
