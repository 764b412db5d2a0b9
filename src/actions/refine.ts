import { defineAction } from "./action.js";
import { unknownButton } from "./press-id.js";

/**
 * "Refine in thread": opens a thread on the result, where each message to the bot becomes a Responses turn.
 * Discord only: on Slack, replying in the result's thread refines it. A result inside a thread offers no such
 * button (Discord has no thread in a thread); one from an older version there is told how to go on instead.
 */
export const refine = defineAction({
  name: "refine",
  label: "Refine in thread",
  tone: "plain",
  offer: { platforms: ["discord"], under: "result", outsideThreads: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  async run({ press, port }) {
    const threads = port.threads;
    if (threads === undefined) throw unknownButton();
    if (threads.inThread) {
      await port.answerPrivately(
        `This result is already in a thread, and Discord cannot open a thread in a thread. ${threads.how} here; reply to an earlier result to branch from it.`,
      );
      return;
    }
    const thread = await threads.open(press.runId);
    await port.answerPrivately(
      `Refine in <#${thread}>. ${threads.how}; reply to an earlier result there to branch from it.`,
    );
  },
});
