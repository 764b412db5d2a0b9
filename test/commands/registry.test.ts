import { describe, expect, expectTypeOf, it } from "vitest";
import { editCommand } from "../../commands/edit.js";
import { COMMANDS, commandNamed } from "../../commands/index.js";
import { parseCommandOptions } from "../../commands/parse-options.js";
import { SETTINGS_FIELDS, settingsCommand } from "../../commands/settings.js";
import type { ArgsOf } from "../../commands/types.js";
import { usageCommand } from "../../commands/usage.js";
import { BUDGET_NAMES } from "../../src/core/budget-names.js";
import type { ImagineOptions } from "../../src/core/imagine-options.js";
import type { AttachmentRef } from "../../src/core/option-schemas.js";
import type { ApiMode, OutputFormat, Quality } from "../../src/core/request.js";

describe("the commands of commands/", () => {
  it("are every command, each named once", () => {
    const names = COMMANDS.map((command) => command.name);
    expect(names).toEqual([
      "imagine",
      "edit",
      "Edit image",
      "blend",
      "Blend images",
      "settings",
      "usage",
      "forget",
      "history",
      "show",
      "style",
      "describe",
      "Describe image",
    ]);
    expect(commandNamed("usage")).toBe(usageCommand);
    expect(commandNamed("draw")).toBeUndefined();
  });

  it("say who may run them: the ones that answer only the person run anywhere", () => {
    const anywhere = COMMANDS.filter((command) => command.access === "anywhere").map(
      (command) => command.name,
    );
    expect(anywhere).toEqual(["settings", "usage", "history"]);
    const adminOnly = usageCommand.options.filter((option) => option.adminOnly).map((option) => option.name);
    expect(adminOnly).toEqual(["set", "value"]);
  });

  it("fit Discord's rules: names, 100-character descriptions, required options first, 25 at most", () => {
    for (const command of COMMANDS) {
      expect(command.description.length, command.name).toBeLessThanOrEqual(100);
      if (command.kind !== "slash") continue;
      expect(command.name).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
      const required = command.options.map((option) => option.required === true);
      expect(required, command.name).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      const slots = command.options.reduce((sum, option) => sum + (option.slots?.count ?? 1), 0);
      expect(slots, command.name).toBeLessThanOrEqual(25);
    }
  });

  it("offer the budget names to /usage set", () => {
    expect(usageCommand.options[0]?.choices).toEqual(BUDGET_NAMES);
    expect(usageCommand.options[0]?.choiceLabels?.["user-day-usd"]).toBe(
      "user-day-usd: each person, dollars per UTC day",
    );
  });

  it("give handlers typed arguments inferred from the definitions", () => {
    expectTypeOf<ArgsOf<typeof settingsCommand>>().toEqualTypeOf<{
      model?: string | undefined;
      size?: string | undefined;
      quality?: Quality | undefined;
      format?: OutputFormat | undefined;
      api?: ApiMode | undefined;
      draft?: boolean | undefined;
      reset?: boolean | undefined;
    }>();
    expectTypeOf<ArgsOf<typeof editCommand>["image"]>().toEqualTypeOf<AttachmentRef[]>();
    expectTypeOf<ArgsOf<typeof editCommand>>().toExtend<ImagineOptions>();
    expectTypeOf<ImagineOptions["frameMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ArgsOf<typeof usageCommand>>().toEqualTypeOf<{
      set?: string | undefined;
      value?: string | undefined;
    }>();
    expect(SETTINGS_FIELDS.every((field) => settingsCommand.options.some((o) => o.name === field))).toBe(
      true,
    );
  });

  it("parse a boolean as Discord sends it, or typed as text", () => {
    expect(parseCommandOptions(settingsCommand, { reset: true, quality: "HIGH" })).toEqual({
      reset: true,
      quality: "high",
    });
    expect(parseCommandOptions(settingsCommand, { reset: " False " })).toEqual({ reset: false });
    expect(() => parseCommandOptions(settingsCommand, { reset: "yes" })).toThrow(
      'Option reset must be true or false (got "yes").',
    );
  });

  it("take /edit's image slots as one required list", () => {
    expect(() => parseCommandOptions(editCommand, { prompt: "brighter" })).toThrow(
      /Option image is required/,
    );
    const { image } = parseCommandOptions(editCommand, {
      prompt: "brighter",
      image: [{ url: "https://cdn.example/a.png" }, { url: "https://cdn.example/b.png" }],
    });
    expect(image.map((file) => file.source)).toEqual([
      "https://cdn.example/a.png",
      "https://cdn.example/b.png",
    ]);
  });
});
