import type { ErrorGroup } from "./entry.js";

/** Pinning a thread's style (`/style`, Pin style, `@imagine style`) and turns that use it. */
export const STYLE_ERRORS = {
  style_images_full: {
    kind: "invalid_input",
    sentence: ({ pinned, adding, max }: { pinned: number; adding: number; max: number }) =>
      `This thread has ${pinned} style ${pinned === 1 ? "image" : "images"} pinned and at most ${max} can be, so ${adding === 1 ? "this one was" : `these ${adding} were`} not pinned; unpin the style first to start over.`,
  },
  style_needs_thread: {
    kind: "invalid_input",
    sentence: ({ how }: { how: string }) => `A style is pinned to a thread the bot runs: ${how}.`,
  },
  style_sentence_too_long: {
    kind: "invalid_input",
    sentence: ({ length, max }: { length: number; max: number }) =>
      `The style sentence is ${length} characters; at most ${max} can be pinned.`,
  },
  style_empty: {
    kind: "invalid_input",
    sentence: "Give a style sentence, style images, or both (or clear the style).",
  },
  style_too_many_inputs: {
    kind: "invalid_input",
    sentence: ({ own, pinned, max }: { own: number; pinned: number; max: number }) =>
      `This turn has ${own} input ${own === 1 ? "image" : "images"} and the thread's style pins ${pinned}; the model takes at most ${max} in all, so nothing was made. Send fewer images or unpin the style.`,
  },
  style_image_gone: {
    kind: "invalid_input",
    sentence:
      "An image pinned as this thread's style is no longer stored (old files are removed after a while), so nothing was made; unpin the style and pin it again.",
  },
} as const satisfies ErrorGroup;
