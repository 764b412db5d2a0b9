import { forgetDeps, forgetSummary, planRunDeletion } from "../forget/forget.js";
import { defineAction, type PlatformName } from "./action.js";

/** Discord's sentence names nobody, Slack's names the requester: both are asserted as they are. */
function refusal(requester: string, platform: PlatformName): string {
  return platform === "discord"
    ? "Only the person who asked for this image can delete it."
    : `Only <@${requester}>, who asked for this image, can delete it.`;
}

/**
 * Delete: the message, and what `forget/forget.ts` removes (run folder, stored response, thread turn). The
 * press is taken before the removal, which takes time; the summary comes after.
 */
export const remove = defineAction({
  name: "delete",
  label: "Delete",
  tone: "danger",
  offer: { platforms: ["discord", "slack", "web"], under: "result", onAnswers: true },
  pressers: { kind: "requester", refusal },
  accessListed: true,
  origin: "run",
  async run({ press, port, deps }) {
    const plan = await planRunDeletion(forgetDeps(deps), press.runId, port.place.user);
    if (plan.kind === "refused") return port.answerPrivately(refusal(plan.owner, port.platform));
    await port.acknowledge();
    const report = await plan.forget();
    await port.deleteMessage(press);
    await port.answerPrivately(forgetSummary(report));
  },
});
