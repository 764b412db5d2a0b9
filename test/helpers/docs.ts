import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository's root, where README.md, BENCHMARKS.md and docs/ are. */
export const DOCS_ROOT = new URL("../..", import.meta.url).pathname;

/** A page of the documentation: its path from the repository root, and its text. */
export interface DocPage {
  path: string;
  text: string;
}

/** README.md (the first ten minutes), BENCHMARKS.md and every page of docs/: what a person reads. */
export function docPages(): DocPage[] {
  const docs = readdirSync(join(DOCS_ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", "BENCHMARKS.md", ...docs].map((path) => ({
    path,
    text: readFileSync(join(DOCS_ROOT, path), "utf8"),
  }));
}

/** One page's text. */
export function docPage(path: string): string {
  return readFileSync(join(DOCS_ROOT, path), "utf8");
}
