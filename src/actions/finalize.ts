import { userError } from "../core/errors.js";
import { type ActionDeps, defineAction, type PlatformName, type Pressers } from "./action.js";
import { finalizeQuote, finalizeRun } from "./finalize-plan.js";
import type { Press } from "./press-id.js";

/** Discord's sentence names nobody (the result already shows who asked), Slack's names the requester. */
function refusal(requester: string, platform: PlatformName): string {
  const who = platform === "discord" ? "the person who asked for this image" : `<@${requester}>`;
  return `Only ${who} or an admin can finalize it here: it is made at the top price. Use Vary or Re-roll for your own take.`;
}

/** `FINALIZE_BY`: the requester or an admin (the default), or anyone, each from their own budget. */
const finalizers = (config: ActionDeps["config"]): Pressers =>
  config.openai.finalizeBy === "anyone" ? { kind: "anyone-here" } : { kind: "requester-or-admin", refusal };

/**
 * Finalize: shows privately what would be made and its most possible cost, with a Confirm button; nothing is
 * reserved or queued until Confirm (`finalize-go`). Every check Confirm makes is made here first, so a deleted
 * run, a removed image or an unknown index is answered at once.
 */
export const finalize = defineAction({
  name: "finalize",
  label: "Finalize",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "result", needsStoredFinal: true },
  pressers: finalizers,
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps }) {
    const followUp = await finalizeRun(deps.runs, press, deps.config.openai.finalModel);
    const confirm = { ...press, action: finalizeGo.name };
    await port.confirmPrivately(finalizeQuote(followUp, deps, press.image ?? 0), {
      label: "Confirm",
      press: confirm,
    });
  },
});

/** Confirm of a Finalize: through the intake, whose budget reserves it like any job, into a new result. */
export const finalizeGo = defineAction({
  name: "finalize-go",
  label: "Confirm",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "confirmation" },
  pressers: finalizers,
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps }) {
    const followUp = await finalizeRun(deps.runs, press, deps.config.openai.finalModel);
    const release = await confirmOnce(deps, press, port.place.user);
    try {
      await port.submitFollowUp(followUp, press);
    } catch (error) {
      // Refused (a budget, a slot): the person may fix it and confirm again at once.
      await release();
      throw error;
    }
  },
});

/** A second click of the same Confirm while the first is fresh: one finalized image, paid once. */
const CONFIRM_ONCE_SECONDS = 60;

/**
 * Takes this Confirm (the run's image, by this person) for a minute, so a double click makes one image.
 * @returns what gives it back when the follow-up was refused.
 * @throws `UserError` `finalize_confirmed` when it was just taken.
 */
async function confirmOnce(deps: ActionDeps, press: Press, user: string): Promise<() => Promise<void>> {
  const key = `${deps.config.queuePrefix}:finalize:confirmed:${press.runId}:${press.image ?? 0}:${user}`;
  const taken = await deps.redis.set(key, "1", "EX", CONFIRM_ONCE_SECONDS, "NX");
  if (taken !== "OK") throw userError("finalize_confirmed");
  return async () => {
    await deps.redis.del(key);
  };
}
