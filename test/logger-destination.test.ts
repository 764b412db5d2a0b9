import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userError } from "../src/core/errors.js";
import { refusalFields } from "../src/log-safety.js";
import { createLogger, logDestination } from "../src/logger.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "imagine-logger-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What one info line looks like when stderr is a terminal, or not (a file stands in for either). */
function written(terminal: boolean): string {
  const file = join(dir, `${terminal ? "terminal" : "pipe"}.log`);
  const fd = openSync(file, "w");
  try {
    const logger = createLogger("info", logDestination(terminal, fd));
    logger.info({ mode: "all", apiKey: "sk-secret" }, "imagine-bot running");
    logger.flush();
  } finally {
    closeSync(fd);
  }
  return readFileSync(file, "utf8");
}

describe("log lines", () => {
  it("are JSON when stderr is not a terminal, as pipes, collectors and the tests read them", () => {
    const line = JSON.parse(written(false).trim());
    expect(line).toMatchObject({ level: 30, msg: "imagine-bot running", mode: "all", apiKey: "[redacted]" });
  });

  it("are readable lines at a terminal: time, level and message first, secrets still redacted", () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the colours a terminal shows are escape codes.
    const text = written(true).replace(/\u001b\[[0-9;]*m/g, "");
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): imagine-bot running\n/);
    expect(text).toContain('mode: "all"');
    expect(text).toContain('apiKey: "[redacted]"');
    expect(text).not.toContain("sk-secret");
    expect(text).not.toContain("imagine-bot\n");
  });

  it("show a person's mistake as what they were told and its code, with no stack", () => {
    const fields = refusalFields(userError("size_invalid", { size: "123x45" }));
    expect(Object.keys(fields).sort()).toEqual(["code", "told"]);
    expect(fields.code).toBe("size_invalid");
    expect(fields.told).toBe('Option size must be auto or WIDTHxHEIGHT, e.g. 1536x1024 (got "123x45").');
  });
});
