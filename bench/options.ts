import { parseArgs } from "node:util";
import { answerHelp } from "../src/script-help.js";

const USAGE = `npm run bench -- [--rounds 12] [--slack-rounds 5] [--burst 200] [--burst-rounds 3] [--jobs 100]
  [--concurrent 50] [--bare-jobs 2000] [--only partials,cpu,ack,ack-floor,slack,memory,bullmq]
  [--out bench/results.json]
  [--profile DIR]
--profile DIR writes a CPU profile of every bot process (node --cpu-prof) into DIR when it stops.`;

/** `partials`, `cpu` and `ack` share one `npm start` on the fake Discord; the others each start their own. */
export const SCENARIOS = ["partials", "cpu", "ack", "ack-floor", "slack", "memory", "bullmq"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** A mistyped option: its sentence and the usage on stderr, exit 2, no stack trace. */
function refuse(sentence: string): never {
  process.stderr.write(`${sentence}\n${USAGE}\n`);
  process.exit(2);
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        rounds: { type: "string", default: "12" },
        "slack-rounds": { type: "string", default: "5" },
        burst: { type: "string", default: "200" },
        "burst-rounds": { type: "string", default: "3" },
        jobs: { type: "string", default: "100" },
        concurrent: { type: "string", default: "50" },
        "bare-jobs": { type: "string", default: "2000" },
        only: { type: "string", default: SCENARIOS.join(",") },
        out: { type: "string", default: "bench/results.json" },
        profile: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
}

/** The bench's options; `--help`/`-h` prints the usage and exits 0 before anything starts. */
export function readOptions(args: readonly string[] = process.argv.slice(2)) {
  answerHelp(USAGE, args);
  const values = parse(args);
  const count = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) refuse(`--${name} must be a whole number above 0.`);
    return value;
  };
  const only = values.only.split(",").map((name) => name.trim());
  for (const name of only) {
    if (!SCENARIOS.includes(name as Scenario)) refuse(`--only takes ${SCENARIOS.join(", ")}.`);
  }
  return {
    rounds: count("rounds"),
    slackRounds: count("slack-rounds"),
    burst: count("burst"),
    burstRounds: count("burst-rounds"),
    jobs: count("jobs"),
    concurrent: count("concurrent"),
    bareJobs: count("bare-jobs"),
    only: new Set(only as Scenario[]),
    out: values.out,
    profile: values.profile,
  };
}
