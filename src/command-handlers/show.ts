import type { showCommand } from "../../commands/show.js";
import type { ArgsOf } from "../../commands/types.js";
import { shownRun } from "../actions/shown-run.js";
import type { CommandHandler } from "./command-port.js";

/**
 * `/show job:<id>` (`/imagine show <id>` on Slack): the run's stored result posted here again by the
 * platform's renderer, its buttons acting on the original run, as the Show button under `/history` does.
 */
export const runShow: CommandHandler<ArgsOf<typeof showCommand>> = async (deps, port, { job }) => {
  const { user } = port;
  const shown = await shownRun(deps.runs, job, {
    platform: user.platform,
    workspace: user.workspace,
    user: user.id,
  });
  await port.showRun(shown);
};
