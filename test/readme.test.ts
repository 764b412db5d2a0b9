import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { imagineCommand } from "../commands/imagine.js";
import { COMMANDS } from "../commands/index.js";
import { readmeOptionTable } from "../src/cli/readme-options.js";
import { EnvSchema } from "../src/config/schema.js";
import { docPage, docPages } from "./helpers/docs.js";

const readme = docPage("README.md");
/** README.md and docs/ together: a fact may live on any page, as long as a person can find it. */
const docs = docPages()
  .map((page) => page.text)
  .join("\n");
const scripts = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

/** README.md is the newcomer's first ten minutes; docs/ is the manual: both keep naming what they point to. */
describe("README.md and docs/", () => {
  it("keeps README.md to the first ten minutes (at most 10 KB)", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10_240);
  });

  it.each(imagineCommand.options.filter((option) => option.name !== "prompt").map((option) => option.name))(
    "documents the --%s option",
    (name) => {
      expect(docs).toContain(`\`--${name}`);
    },
  );

  it("shows the options as commands/ defines them in docs/cli.md (run npm run readme:options)", () => {
    expect(docPage("docs/cli.md")).toContain(readmeOptionTable());
  });

  it.each(Object.keys(EnvSchema.shape))("documents %s", (name) => {
    expect(docs).toContain(`\`${name}\``);
  });

  it.each(COMMANDS.map((command) => [command.name, command.kind] as const))(
    "lists %s in docs/discord.md's register-commands step, as Discord shows it",
    (name, kind) => {
      // From "Register the commands" to the end of that step (the next blank line).
      const step = /Register the commands:[\s\S]*?(?:\n\n|$)/.exec(docPage("docs/discord.md"))?.[0] ?? "";
      expect(step).toContain(kind === "slash" ? `\`/${name}\`` : `**${name}**`);
    },
  );

  it.each(docPages().map((page) => page.path))("%s only points to npm scripts that exist", (path) => {
    const mentioned = [...docPage(path).matchAll(/npm run (?:(?:-s|--silent) )?([\w:-]+)/g)].map(
      (match) => match[1] as string,
    );
    for (const name of mentioned) expect(scripts, `npm run ${name} in ${path}`).toHaveProperty(name);
  });

  it("shows the CLI with npm's banner silenced, so stdout holds only the CLI's paths", () => {
    const shown = [...docs.matchAll(/npm run (?:[\w-]+ )*imagine\b/g)].map((match) => match[0]);
    expect(shown.length).toBeGreaterThan(0);
    expect(readme).toMatch(/npm run -s imagine/);
    for (const command of shown) expect(command, command).toMatch(/^npm run (?:-s|--silent) imagine$/);
  });
});
