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

  it("reports a flag without a value, and passes unknown flags to the command's parser", () => {
    expect(() => parse("a cat --size")).toThrow("Flag --size needs a value, e.g. --size VALUE.");
    expect(() => parse("a cat --quality --n 2")).toThrow(
      "Flag --quality needs a value, e.g. --quality auto.",
    );
    expect(() => requestFromText("a cat --sise 1024x1024", "gpt-image-2")).toThrow(/did you mean size\?/);
    expect(() => requestFromText("a cat --n 2 --n 3", "gpt-image-2")).toThrow(
      "Option n can be given only once.",
    );
  });

  it("refuses file flags, which text cannot carry", () => {
    expect(parse("a cat --image x.png").attachmentFlags).toEqual(["image"]);
    expect(() => requestFromText("a cat --image x.png", "gpt-image-2")).toThrow(/attach the image/);
  });

  it("resolves a full request with the model's defaults", () => {
    const request = requestFromText(
      "a lighthouse --quality high --format webp --compression 80",
      "gpt-image-2",
    );
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
