import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { imagineCommand } from "../commands/imagine.js";
import { COMMANDS } from "../commands/index.js";
import { readmeOptionTable } from "../src/cli/readme-options.js";
import { EnvSchema } from "../src/config/schema.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const scripts = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

/** README.md is the newcomer's manual: it must keep naming every option, variable and script it points to. */
describe("README.md", () => {
  it.each(imagineCommand.options.filter((option) => option.name !== "prompt").map((option) => option.name))(
    "documents the --%s option",
    (name) => {
      expect(readme).toContain(`\`--${name}`);
    },
  );

  it("shows the options as commands/ defines them (run npm run readme:options)", () => {
    expect(readme).toContain(readmeOptionTable());
  });

  it.each(Object.keys(EnvSchema.shape))("documents %s", (name) => {
    expect(readme).toContain(`\`${name}\``);
  });

  it.each(COMMANDS.map((command) => [command.name, command.kind] as const))(
    "lists %s in the register-commands step, as Discord shows it",
    (name, kind) => {
      // From "Register the commands" to the end of that step (the next blank line).
      const step = /Register the commands:[\s\S]*?(?:\n\n|$)/.exec(readme)?.[0] ?? "";
      expect(step).toContain(kind === "slash" ? `\`/${name}\`` : `**${name}**`);
    },
  );

  it("only points to npm scripts that exist", () => {
    const mentioned = [...readme.matchAll(/npm run (?:(?:-s|--silent) )?([\w:-]+)/g)].map(
      (match) => match[1] as string,
    );
    expect(mentioned.length).toBeGreaterThan(0);
    for (const name of mentioned) expect(scripts, `npm run ${name}`).toHaveProperty(name);
  });

  it("shows the CLI with npm's banner silenced, so stdout holds only the CLI's paths", () => {
    const shown = [...readme.matchAll(/npm run (?:[\w-]+ )*imagine\b/g)].map((match) => match[0]);
    expect(shown.length).toBeGreaterThan(0);
    for (const command of shown) expect(command, command).toMatch(/^npm run (?:-s|--silent) imagine$/);
  });
});
