import type { historyCommand } from "../../commands/history.js";
import type { ArgsOf } from "../../commands/types.js";
import { userError } from "../core/errors.js";
import { RunIndex } from "../stores/run-index.js";
import type { CommandHandler } from "./command-port.js";
import { historyEntries } from "./history-entries.js";

/**
 * `/history` (`/imagine history` on Slack): the person's last runs in this server or workspace (or, in a DM,
 * their own DM runs), privately, newest first. It spends nothing.
 */
export const runHistory: CommandHandler<ArgsOf<typeof historyCommand>> = async (deps, port) => {
  // A Redis read and one metadata read per run: taken first, so a slow store cannot miss the 3 seconds.
  await port.acknowledge();
  const index = new RunIndex(deps.redis, deps.config.queuePrefix);
  const entries = await historyEntries({ runs: deps.runs, index, logger: deps.logger }, port.user, {
    prune: true,
  });
  if (entries.length === 0) throw userError("history_empty");
  await port.showHistory(entries);
};
