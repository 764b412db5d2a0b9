import { defineAction } from "./action.js";

const refusal = (requester: string) =>
  `Only <@${requester}>, who asked for this image, or an admin can cancel it.`;

/**
 * Cancel, under a status while its job waits or runs (`queue/cancel.ts` stops it). Not access-listed: it only
 * stops spending, on a job allowed when it was queued. A waiting job is gone at once, so the press turns the
 * status into "Cancelled"; a running one's worker says so once the request to OpenAI is aborted. A job not in
 * the queue yet (pressed in the instant between its status and its queueing) only its requester may cancel.
 */
export const cancel = defineAction({
  name: "cancel",
  label: "Cancel",
  tone: "plain",
  offer: { platforms: ["discord", "slack", "web"], under: "status" },
  pressers: { kind: "requester-or-admin", refusal },
  accessListed: false,
  origin: "queue",
  async run({ press, port, deps, origin }) {
    const admin = origin !== undefined && port.isAdmin();
    const outcome = await deps.cancel(press.runId, { userId: port.place.user, admin });
    switch (outcome.kind) {
      case "refused":
        return port.answerPrivately(refusal(outcome.requester));
      case "finished":
        return port.answerPrivately("That request has already finished.");
      case "removed":
        return port.showCancelled(outcome.job);
      case "stopping":
        return port.acknowledge();
    }
  },
});
