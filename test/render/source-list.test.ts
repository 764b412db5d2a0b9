import { describe, expect, it } from "vitest";
import { listedSources } from "../../src/render/source-list.js";

describe("listedSources", () => {
  it("labels each source by its title, or its site when it has none", () => {
    expect(
      listedSources([
        { url: "https://a.example/x", title: "Lyon: sunny, 21°C" },
        { url: "https://www.b.example/y?q=1" },
      ]),
    ).toEqual([
      { url: "https://a.example/x", label: "Lyon: sunny, 21°C" },
      { url: "https://www.b.example/y?q=1", label: "www.b.example" },
    ]);
  });

  it("takes out what either platform's link markup would read, and clips long titles", () => {
    const [source] = listedSources([
      { url: "https://a.example/x", title: `[Click](<evil>) | *bold* ${"long ".repeat(30)}` },
    ]);
    expect(source?.label).not.toMatch(/[[\]<>|*]/);
    expect(source?.label.length).toBeLessThanOrEqual(80);
    expect(source?.label.endsWith("…")).toBe(true);
  });

  it("leaves out URLs that would break a link or lead nowhere when cut: spaces, brackets, pipes, over-long", () => {
    expect(
      listedSources([
        { url: "https://a.example/with space" },
        { url: "https://a.example/x>y" },
        { url: "https://a.example/x|y" },
        { url: `https://a.example/${"p".repeat(500)}` },
        { url: "https://en.example.org/wiki/Lyon_(city)" },
      ]).map((source) => source.url),
    ).toEqual(["https://en.example.org/wiki/Lyon_(city)"]);
  });
});
