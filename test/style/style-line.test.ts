import { describe, expect, it } from "vitest";
import { withStyleLine } from "../../src/platforms/discord/style-place.js";
import { withStyleBlock } from "../../src/platforms/slack/style-place.js";

const style = (sentence: string | undefined, images: number) => ({
  ...(sentence ? { sentence } : {}),
  imageKeys: Array.from(
    { length: images },
    (_, index) => `20261207-080000-00000001/inputs/style_${index}.png`,
  ),
});

describe("the line a thread's first message says its style in", () => {
  it("on Discord: added under the result's text, replaced on the next pin, gone on unpin", () => {
    const text = "**Prompt:** a fox\n`gpt-image-2` · 1024x1024 · quality low · job `x`";
    const pinned = withStyleLine(text, style("ink wash", 2));
    expect(pinned).toBe(`${text}\n-# 📌 Style: ink wash · 2 images`);
    expect(withStyleLine(pinned, style(undefined, 3))).toBe(`${text}\n-# 📌 Style: 3 images`);
    expect(withStyleLine(pinned, undefined)).toBe(text);
  });

  it("on Discord: cut to what a full message leaves, or left out when nothing is left", () => {
    const long = "x".repeat(1900);
    const pinned = withStyleLine(long, style("y".repeat(300), 1));
    expect(pinned).toHaveLength(2000);
    expect(pinned.endsWith("…")).toBe(true);
    expect(withStyleLine("x".repeat(1995), style("ink", 1))).toBe("x".repeat(1995));
  });

  it("on Slack: one context block, its sentence escaped, the image blocks sent back without display fields", () => {
    const image = {
      type: "image" as const,
      block_id: "final_0",
      slack_file: { id: "F000000001" },
      alt_text: "Image 1",
      fallback: "1024x1024px image",
      image_width: 1024,
      image_height: 1024,
      image_bytes: 2048,
    };
    const blocks = withStyleBlock([image], style("<ink> & wash", 1));
    expect(blocks).toEqual([
      { type: "image", block_id: "final_0", slack_file: { id: "F000000001" }, alt_text: "Image 1" },
      {
        type: "context",
        block_id: "imagine_style",
        elements: [{ type: "mrkdwn", text: "📌 Style: &lt;ink&gt; &amp; wash · 1 image" }],
      },
    ]);
    expect(withStyleBlock(blocks, undefined)).toEqual([blocks[0]]);
  });
});
