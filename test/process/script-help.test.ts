import { describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, startNpm } from "./scripts.js";

/**
 * Every script README lists answers `--help` as README runs it (`npm run <script> -- --help`), with no
 * configuration at all (the test blanks every token): its usage and exit 0, never a configuration error or a
 * stack trace.
 */
const SCRIPTS = [
  { script: "doctor", usage: /^Usage: npm run doctor( \[-- --mode all\|bot\|worker\])?\n/ },
  { script: "register-commands", usage: /^Usage: npm run register-commands\n/ },
  { script: "slack:manifest", usage: /^Usage: npm run slack:manifest \[-- --request-url URL\]\n/ },
  { script: "bench", usage: /^npm run bench -- \[--rounds 12\]/ },
  { script: "try", usage: /^usage: npm run try \[-- --slack\]/ },
];

const STACK_FRAME = /^\s+at /m;

describe("the scripts' --help", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  for (const { script, usage } of SCRIPTS) {
    it(`npm run ${script} -- --help prints the usage and exits 0`, async () => {
      const run = startNpm(["run", "-s", script, "--", "--help"]);
      const ended = await run.exited;
      expect(ended, run.output()).toEqual({ code: 0, signal: null });
      expect(run.output()).toMatch(usage);
      expect(run.output()).not.toMatch(STACK_FRAME);
      expect(run.output()).not.toMatch(/is required|Invalid configuration|failed/);
    });
  }

  it("npm run slack:manifest with an option it does not know says so in one sentence, with the usage", async () => {
    const run = startNpm(["run", "-s", "slack:manifest", "--", "--request-uri", "https://bot.example.com"]);
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.output()).toMatch(/^Unknown option '--request-uri'.*\n\nUsage: npm run slack:manifest/);
    expect(run.output()).not.toMatch(STACK_FRAME);
  });

  it("npm run bench answers -h, and an option it does not know or a bad count in one sentence with the usage", async () => {
    const help = startNpm(["run", "-s", "bench", "--", "-h"]);
    expect(await help.exited).toEqual({ code: 0, signal: null });
    expect(help.output()).toMatch(/^npm run bench -- \[--rounds 12\]/);
    for (const [args, sentence] of [
      [["--nope"], /^Unknown option '--nope'/],
      [["--rounds", "x"], /^--rounds must be a whole number above 0\.\nnpm run bench/],
      [["--only", "speed"], /^--only takes partials, cpu/],
    ] as const) {
      const run = startNpm(["run", "-s", "bench", "--", ...args]);
      expect(await run.exited, run.output()).toEqual({ code: 2, signal: null });
      expect(run.output()).toMatch(sentence);
      expect(run.output()).not.toMatch(STACK_FRAME);
    }
  });
});
