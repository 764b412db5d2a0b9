import type { ErrorGroup } from "./entry.js";

/** Why the stored run was wanted: reused by a button, its inputs to make it again, its owner, a thread's parent. */
const RUN_GONE = {
  reuse: "That result is no longer stored, so it cannot be reused.",
  remake: "The images this was made from are no longer stored, so it cannot be made again.",
  forget: "That result is no longer stored, so I can't tell who asked for it.",
  refine: "The result this thread refines was deleted; start a new one with /imagine.",
} as const;

/** `images` 0 is an answer in words (a question in a thread): it was written, not made. */
function deliveryFailed({ images, runId }: { images: number; runId: string }): string {
  if (images === 0) {
    return `Your answer was written but could not be posted here (the chat platform refused it); it is kept as run \`${runId}\`.`;
  }
  const [made, kept] = images === 1 ? ["image was", "it is"] : ["images were", "they are"];
  return `Your ${made} made but could not be posted here (the chat platform refused it); ${kept} kept as run \`${runId}\`.`;
}

/** The queue and the runner: follow-ups of a stored run, thread turns, a job cancelled or not delivered. */
export const RUN_ERRORS = {
  run_not_found: {
    kind: "invalid_input",
    sentence: ({ wanted }: { wanted: keyof typeof RUN_GONE }) => RUN_GONE[wanted],
  },
  run_has_no_image: { kind: "invalid_input", sentence: "That run has no image to vary." },
  thread_turn_expired: {
    kind: "invalid_input",
    sentence:
      "That earlier result is no longer in this thread's history (turns are kept for 30 days); start a new one.",
  },
  // Said for any message there: whether it is a question or a change, only the model could tell, at a price.
  thread_forgotten: {
    kind: "invalid_input",
    sentence: "This thread's history was forgotten, so I can't continue it: start again with /imagine.",
  },
  cancelled: { kind: "cancelled", sentence: "The job was cancelled before it finished." },
  delivery_failed: { kind: "unavailable", sentence: deliveryFailed },
  // A private reply (ephemeral, or in a DM the bot is not in) only its interaction's webhook can edit.
  reply_expired: {
    kind: "unavailable",
    sentence:
      "This private reply can't show the result: Discord lets me update it for 15 minutes only. The images are still made and kept.",
  },
  worker_lost: {
    kind: "unavailable",
    sentence:
      "The bot's workers stopped twice while making this image, so it was given up. Nothing was charged; please try again.",
  },
  // Its background response was still running on OpenAI: stopped, having cost what OpenAI reported.
  worker_lost_charged: {
    kind: "unavailable",
    sentence: ({ cost }: { cost: string }) =>
      `The bot's workers stopped twice while making this image, so it was given up and OpenAI was told to stop; the work done before that cost ${cost}. Please try again.`,
  },
  // Stopped on OpenAI after it had started: OpenAI reports no usage for a cancelled response, yet bills what it
  // generated, so the reservation is kept and the sentence says so.
  worker_lost_stopped: {
    kind: "unavailable",
    sentence:
      "The bot's workers stopped twice while making this image, so it was given up and OpenAI was told to stop. OpenAI does not report what a stopped image cost: up to the estimate held for it may be charged. Please try again.",
  },
  // An Images API job whose workers died after it was sent: OpenAI bills an image it was making whether or not
  // anyone reads it, and there is no response to ask what it cost.
  worker_lost_sent: {
    kind: "unavailable",
    sentence:
      "The bot's workers stopped twice while making this image, so it was given up. OpenAI may still charge for what they had asked it to make, and does not say what: the estimate held for it is kept. Please try again.",
  },
  // OpenAI could not be asked about its background response (it may still finish, and be billed), or its usage
  // could not be priced.
  worker_lost_unconfirmed: {
    kind: "unavailable",
    sentence:
      "The bot's workers stopped twice while making this image, so it was given up, but what OpenAI charged for it could not be confirmed: it may still be charged, up to the estimate held for it. Please try again.",
  },
  // The person did not cancel: the bot was stopped under them, and trying again will work.
  worker_stopped: {
    kind: "unavailable",
    sentence:
      "The bot was stopped before your image was finished, so it was cancelled. Nothing was charged; please try again.",
  },
  // Stopped after its prompt was rewritten (`enhance`), which OpenAI had already billed.
  worker_stopped_charged: {
    kind: "unavailable",
    sentence: ({ cost }: { cost: string }) =>
      `The bot was stopped before your image was finished, so it was cancelled; the prompt's rewrite made before that cost ${cost}. Please try again.`,
  },
  button_unknown: { kind: "invalid_input", sentence: "That button does not belong to any image of mine." },
  button_requester_only: {
    kind: "invalid_input",
    sentence: "Outside a server, only the person who asked for this image can use its buttons.",
  },
  button_elsewhere: {
    kind: "invalid_input",
    sentence: "That button belongs to an image made somewhere else; it works only where the image was made.",
  },
} as const satisfies ErrorGroup;
