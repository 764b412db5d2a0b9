import type { ErrorGroup } from "./entry.js";

/** Redis as the CLI names it (the URL without its password), and why it did not answer. */
interface RedisParams {
  redis: string;
  reason: string;
}

/** What is wrong with the `--out` folder: a file, inside a file, or not writable (the system's error code). */
type OutProblem = { path: string } & (
  | { problem: "file" }
  | { problem: "inside_file"; file: string }
  | { problem: "unwritable"; reason: string }
);

function outUnusable(p: OutProblem): string {
  const why =
    p.problem === "file"
      ? "is a file, not a folder"
      : p.problem === "inside_file"
        ? `is inside ${p.file}, a file`
        : `cannot be created or written to (${p.reason})`;
  return `--out ${p.path} ${why}; choose a folder you can write to.`;
}

/** The CLI (src/cli): its arguments, input files, output folder and Redis. */
export const CLI_ERRORS = {
  // node's `parseArgs` sentence already names the flag and what is wrong with it.
  invalid_flag: {
    kind: "invalid_input",
    sentence: ({ reason }: { reason: string }) => `${reason}. Run with --help to see every option.`,
  },
  unknown_flag: {
    kind: "invalid_input",
    sentence: ({ typed, near }: { typed: string; near?: string | undefined }) =>
      `Unknown option ${typed}.${near === undefined ? "" : ` Did you mean --${near}?`} Run with --help to see every option.`,
  },
  thread_needs_responses: {
    kind: "invalid_input",
    sentence: ({ api }: { api: string }) =>
      `--thread continues a conversation through the Responses API; it cannot be used with --api ${api}.`,
  },
  thread_needs_redis: {
    kind: "invalid_input",
    sentence: ({ redis, reason }: RedisParams) =>
      `--thread needs Redis, where a conversation's turns are kept, and none answers on ${redis} (${reason}).`,
  },
  unreadable_file: {
    kind: "invalid_input",
    sentence: ({ path, reason }: { path: string; reason: string }) => `Cannot read ${path}: ${reason}.`,
  },
  out_unusable: { kind: "invalid_input", sentence: outUnusable },
  usage_needs_redis: {
    kind: "unavailable",
    sentence: ({ redis, reason }: RedisParams) =>
      `usage reads the budgets in Redis, and none answers on ${redis} (${reason}).`,
  },
} as const satisfies ErrorGroup;
