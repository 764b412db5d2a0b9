import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_ROOT, docPages } from "./helpers/docs.js";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces made hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown file offers: one per heading (code blocks left out). */
function anchorsOf(text: string): Set<string> {
  const prose = text.replace(/```[\s\S]*?```/g, "");
  return new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1] ?? "")));
}

/** The relative links and images of a page, outside code: `[text](target)`. */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^(?:https?|mailto):/.test(target));
}

/** Every link of README.md, BENCHMARKS.md and docs/ leads somewhere: a file that exists, a heading it has. */
describe("the documentation's links", () => {
  it.each(docPages().map((page) => [page.path, page.text] as const))(
    "%s: each link resolves",
    (path, text) => {
      const broken: string[] = [];
      for (const target of linksOf(text)) {
        const [file = "", anchor] = target.split("#");
        const resolved = file === "" ? path : normalize(join(dirname(path), file));
        const absolute = join(DOCS_ROOT, resolved);
        if (!existsSync(absolute)) broken.push(`${target}: no file ${resolved}`);
        else if (anchor !== undefined && !anchorsOf(readFileSync(absolute, "utf8")).has(anchor))
          broken.push(`${target}: ${resolved} has no heading #${anchor}`);
      }
      expect(broken).toEqual([]);
    },
  );

  it("README links every page of docs/", () => {
    const readme = docPages().find((page) => page.path === "README.md")?.text ?? "";
    for (const page of docPages().filter((page) => page.path.startsWith("docs/")))
      expect(readme, page.path).toContain(`](${page.path})`);
  });
});
