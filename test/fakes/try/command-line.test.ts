import { describe, expect, it } from "vitest";
import { blendCommand } from "../../../commands/blend.js";
import { editCommand } from "../../../commands/edit.js";
import { imagineCommand } from "../../../commands/imagine.js";
import { booleanValue, LineRefusal, messageCommandNamed, parseCommandLine, words } from "./command-line.js";

/** The values a line gives, by option name. */
const byName = (line: string) =>
  Object.fromEntries([...parseCommandLine(line).values].map(([option, values]) => [option.name, values]));

describe("the try-out console's command lines", () => {
  it("reads name:value words as options and the other words as the command's text, as Discord's box does", () => {
    const line = parseCommandLine("/imagine a red fox n:2 size:1536x1024 at dawn");
    expect(line.command).toBe(imagineCommand);
    expect(byName("/imagine a red fox n:2 size:1536x1024 at dawn")).toEqual({
      prompt: ["a red fox at dawn"],
      n: ["2"],
      size: ["1536x1024"],
    });
  });

  it("keeps quoted values whole, and a word with a colon that names no option stays text", () => {
    expect(words('a "big red" fox style:"oil paint"')).toEqual(["a", "big red", "fox", "style:oil paint"]);
    expect(byName("/imagine ratio 16:9 please")).toEqual({ prompt: ["ratio 16:9 please"] });
  });

  it("gives a repeated option each value, for Discord's numbered slots", () => {
    const line = parseCommandLine("/edit make it blue image:a.png image:b.png");
    expect(line.command).toBe(editCommand);
    expect(byName("/edit make it blue image:a.png image:b.png")).toEqual({
      prompt: ["make it blue"],
      image: ["a.png", "b.png"],
    });
  });

  it("reads Discord's numbered slots by their names, in slot order, and a quoted value whole", () => {
    const line = 'image:fox.png image-2:forest.png prompt:"at dawn" aspect:landscape';
    expect(parseCommandLine(`/blend ${line}`).command).toBe(blendCommand);
    expect(byName(`/blend ${line}`)).toEqual({
      image: ["fox.png", "forest.png"],
      prompt: ["at dawn"],
      aspect: ["landscape"],
    });
    expect(byName("/blend image-3:c.png image-2:b.png image:a.png at dawn").image).toEqual([
      "a.png",
      "b.png",
      "c.png",
    ]);
    expect(byName("/edit make it blue image:a.png image-2:b.png image:c.png").image).toEqual([
      "a.png",
      "b.png",
      "c.png",
    ]);
  });

  it("takes true or false in any case, as Discord's client does, and refuses anything else", () => {
    expect(booleanValue("enhance", "True")).toBe(true);
    expect(booleanValue("private", "true")).toBe(true);
    expect(booleanValue("reset", "FALSE")).toBe(false);
    expect(() => booleanValue("enhance", "yes")).toThrow(/^enhance takes true or false/);
  });

  it("refuses an unknown command, and text for a command without a text option, in one sentence", () => {
    // The list is commands/, whatever it holds.
    expect(() => parseCommandLine("/imagin a fox")).toThrow(
      /^There is no \/imagin; the commands are \/imagine, \/edit, .*\/usage.*\.$/,
    );
    expect(() => parseCommandLine("/imagin a fox")).toThrow(LineRefusal);
    expect(() => parseCommandLine("/forget everything")).toThrow(/\/forget takes no text/);
  });

  it("finds a message command by its menu name in any case", () => {
    expect(messageCommandNamed("edit IMAGE").name).toBe("Edit image");
    expect(() => messageCommandNamed("Paint the town")).toThrow(/There is no message command Paint the town/);
  });
});
