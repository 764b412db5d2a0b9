import { describe, expect, it } from "vitest";
import { parseCliArgs, usage } from "../../src/cli/args.js";
import { UserError } from "../../src/core/errors.js";

function flagError(argv: string[]): UserError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("CLI flags", () => {
  it.each([
    ["--szie", "--size"],
    ["--qualty", "--quality"],
    ["--frame-m", "--frame-ms"],
    ["--ot", "--out"],
    ["--treads", "--thread"],
    ["--imag", "--image"],
  ])("answers %s with did you mean %s, as Slack's flags do", (typed, meant) => {
    const error = flagError(["a cat", typed, "x"]);
    expect(error.kind).toBe("invalid_input");
    expect(error.message).toBe(
      `Unknown option ${typed}. Did you mean ${meant}? Run with --help to see every option.`,
    );
    expect(error.details).toEqual({ flag: typed, suggestion: meant });
  });

  it("suggests nothing for a flag that resembles none", () => {
    expect(flagError(["a cat", "-x"]).message).toBe(
      "Unknown option -x. Run with --help to see every option.",
    );
    expect(flagError(["a cat", "--wibble", "1"]).message).not.toMatch(/did you mean/i);
  });

  it("keeps node's words for a flag without its value", () => {
    expect(flagError(["a cat", "--size"]).message).toMatch(/--size.*argument missing/);
  });

  it("shows the command as README does, with npm's banner silenced", () => {
    expect(usage()).toMatch(/^Usage: npm run -s imagine -- "<prompt>"/);
  });

  it("takes --thread to mean the Responses API, and refuses it with the Images API", () => {
    expect(parseCliArgs(["a cat", "--thread", "t1"]).options.api).toBe("responses");
    expect(flagError(["a cat", "--thread", "t1", "--api", "images"]).message).toBe(
      "--thread continues a conversation through the Responses API; it cannot be used with --api images.",
    );
  });
});
