import { describe, expect, it } from "vitest";
import { flagHelp, parseFlagText, tokenize } from "../../commands/flag-text.js";
import { imagineCommand } from "../../commands/imagine.js";
import { requestFromText } from "../../src/platforms/slack/listeners/command.js";

const parse = (text: string) => parseFlagText(imagineCommand, text);

describe("/imagine text with flags", () => {
  it("takes the words as the prompt and every option as a flag of the same name", () => {
    expect(parse("a red fox --size 1536x1024 --n 2 --frame-ms=150").raw).toEqual({
      prompt: "a red fox",
      size: "1536x1024",
      n: "2",
      "frame-ms": "150",
    });
  });

  it("keeps quoted words together, straight or curly, and reads the long dash Slack may type", () => {
    expect(tokenize('say "hello world" “and more”')).toEqual(["say", "hello world", "and more"]);
    expect(parse("a cat —quality high").raw).toEqual({ prompt: "a cat", quality: "high" });
  });

  it("reports a flag without a value, an unknown flag with the nearest one, and a prompt given twice", () => {
    expect(() => parse("a cat --size")).toThrow("Flag --size needs a value, e.g. --size VALUE.");
    expect(() => parse("a cat --quality --n 2")).toThrow(
      "Flag --quality needs a value, e.g. --quality auto.",
    );
    expect(() => requestFromText("a cat --sise 1024x1024", { model: "gpt-image-2" })).toThrow(
      /Unknown flag --sise; did you mean --size\?/,
    );
    expect(() => parse("a cat --style vivid")).toThrow(
      "Unknown flag --style; `/imagine help` lists the flags.",
    );
    expect(() => requestFromText("a cat --n 2 --n 3", { model: "gpt-image-2" })).toThrow(
      "Option n can be given only once.",
    );
    // Before, `--prompt` lost silently to the words before the flags.
    expect(() => parse("a fox --prompt hi")).toThrow(
      "Give the prompt once: as the words before the flags, or as --prompt, not both.",
    );
  });

  it("lists each flag's range once in the help", () => {
    for (const line of flagHelp(imagineCommand)) {
      const ranges = line.match(/\(\d+-\d+/g) ?? [];
      expect(ranges.length, line).toBeLessThanOrEqual(1);
    }
  });

  it("answers a flag typed with one dash instead of taking it into the prompt", () => {
    expect(() => parse("a red fox -n 2")).toThrow("Unknown flag -n; did you mean --n?");
    expect(() => parse("a red fox -q high")).toThrow("Unknown flag -q; did you mean --quality?");
    expect(() => parse("a red fox -size=1024x1024")).toThrow("Unknown flag -size; did you mean --size?");
    expect(() => parse("a red fox -x 2")).toThrow(/^Unknown flag -x; flags start with two dashes/);
    try {
      parse("a fox -n 2");
    } catch (error) {
      expect(error).toMatchObject({ code: "unknown_option", kind: "invalid_input" });
    }
    // Dashes that are no flag stay in the prompt: numbers, a lone dash, words joined by one, quoted words.
    expect(parse("a fox - at -5 degrees, x-ray style").raw.prompt).toBe("a fox - at -5 degrees, x-ray style");
    expect(parse('a "-ish" mood').raw.prompt).toBe('a "-ish" mood');
    expect(() => requestFromText("a cat -n 2", { model: "gpt-image-2" })).toThrow(/did you mean --n\?/);
  });

  it("reads a quoted flag value as a shell would, with straight or Slack's curly quotes", () => {
    expect(parse(`--prompt 'a "big" fox' --n 2`).raw).toEqual({ prompt: 'a "big" fox', n: "2" });
    expect(parse(`--prompt "it's a fox"`).raw).toEqual({ prompt: "it's a fox" });
    expect(parse("--prompt ‘a “big” fox’").raw).toEqual({ prompt: "a “big” fox" });
    expect(parse("--prompt “a ‘big’ fox” --quality high").raw).toEqual({
      prompt: "a ‘big’ fox",
      quality: "high",
    });
    expect(parse(`--prompt='a red fox' --size="1024x1024"`).raw).toEqual({
      prompt: "a red fox",
      size: "1024x1024",
    });
    expect(parse("—prompt “a fox”").raw).toEqual({ prompt: "a fox" });
  });

  it("keeps the prompt's own words as typed: apostrophes and quotes are part of it", () => {
    expect(parse(`a sign that says "OPEN" --n 2`).raw).toEqual({ prompt: 'a sign that says "OPEN"', n: "2" });
    expect(parse("the dog's toy, it’s ‘90s style --quality low").raw).toEqual({
      prompt: "the dog's toy, it’s ‘90s style",
      quality: "low",
    });
    expect(parse("'cause it's late").raw.prompt).toBe("'cause it's late");
  });

  it("refuses file flags, which text cannot carry", () => {
    expect(parse("a cat --image x.png").attachmentFlags).toEqual(["image"]);
    expect(() => requestFromText("a cat --image x.png", { model: "gpt-image-2" })).toThrow(
      /attach the image/,
    );
  });

  it("resolves a full request with the model's defaults", () => {
    const request = requestFromText("a lighthouse --quality high --format webp --compression 80", {
      model: "gpt-image-2",
    });
    expect(request).toMatchObject({
      prompt: "a lighthouse",
      quality: "high",
      format: "webp",
      compression: 80,
    });
  });

  it("lists every non-file option in the help, derived from the definition", () => {
    const lines = flagHelp(imagineCommand);
    const names = imagineCommand.options
      .filter((o) => o.type !== "attachment" && o.name !== "prompt")
      .map((o) => o.name);
    expect(lines.map((line) => line.slice(2, line.indexOf(":")))).toEqual(names);
  });
});
