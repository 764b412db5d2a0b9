import { describe, expect, it } from "vitest";
import { type ResultNote, resultContent } from "../../src/platforms/discord/result-message.js";
import type { RenderResult } from "../../src/render/renderer.js";

const result = (prompt: string): RenderResult =>
  ({
    runId: "20261204-120000-ab12cd34",
    jobId: "20261204-120000-ab12cd34",
    request: { prompt, model: "gpt-image-2", size: "3840x2160", quality: "high" },
    images: [],
    imageKeys: [],
    revisedPrompt: `${prompt} (revised)`,
    text: "x".repeat(900),
  }) as unknown as RenderResult;

/** A presigned S3 URL is long: ~600 characters with a session token. */
const longUrl = (index: number) =>
  `https://bucket.s3.amazonaws.com/runs/final_${index}.png?X-Amz-Signature=${"f".repeat(560)}`;
const note = (index: number): ResultNote => ({
  text: `image ${index} is shown as JPEG (re-encoded to fit Discord's 10.0 MB upload limit; the original is kept).`,
  original: { url: longUrl(index), days: 7 },
});

describe("a Discord result's text", () => {
  it("stays within 2000 characters, keeping the facts and whole links, dropping a link rather than cutting it", () => {
    const content = resultContent(result("p".repeat(1900)), [note(0), note(1), note(2), note(3)], "");
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).toContain("job `20261204-120000-ab12cd34`");
    const links = [...content.matchAll(/\[Open the original\]\(<([^>]+)>\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect([0, 1, 2, 3].map(longUrl)).toContain(link);
    // The notes past the first links' room still say what was done, without their link.
    expect(content).toContain("image 1 is shown as JPEG");
  });

  it("is the whole text when everything fits", () => {
    const content = resultContent(result("a harbour"), [note(0)], "");
    expect(content).toContain("**Prompt:** a harbour");
    expect(content.endsWith(`[Open the original](<${longUrl(0)}>) (for 7 days)`)).toBe(true);
  });
});
