import { parseArgs } from "node:util";
import { answerHelp } from "../src/script-help.js";

const USAGE = `npm run bench -- [--rounds 12] [--slack-rounds 5] [--burst 200] [--burst-rounds 3] [--jobs 100]
  [--concurrent 50] [--bare-jobs 2000] [--only partials,cpu,ack,ack-floor,slack,memory,bullmq]
  [--load quiet,busy] [--out bench/results.json]
  [--profile DIR]
--load busy runs partials (with their preview floor), ack and ack-floor with every core kept busy by another
process; quiet without. --profile DIR writes a CPU profile of every bot process (node --cpu-prof) into DIR
when it stops.`;

/** `partials`, `cpu` and `ack` share one `npm start` on the fake Discord; the others each start their own. */
export const SCENARIOS = ["partials", "cpu", "ack", "ack-floor", "slack", "memory", "bullmq"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The host's load while partials, ack and ack-floor run: as it is, or every core kept busy by burners. */
export const LOADS = ["quiet", "busy"] as const;
export type Load = (typeof LOADS)[number];

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
        load: { type: "string", default: LOADS.join(",") },
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
  const loads = values.load.split(",").map((name) => name.trim());
  for (const name of loads) {
    if (!LOADS.includes(name as Load)) refuse(`--load takes ${LOADS.join(", ")}.`);
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
    // Quiet first: the burners' heat (a busy cache, a throttled clock) should not carry into a quiet figure.
    loads: LOADS.filter((load) => loads.includes(load)),
    out: values.out,
    profile: values.profile,
  };
}
