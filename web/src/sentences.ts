import { formatMegabytes } from "../../src/core/limits.js";

/** What the page refuses before sending anything, in chat's words for the same mistakes (src/core/error-table). */
const TAKEN = "input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF";

export const sentences = {
  tooManyImages: (count: number, max: number) => `You gave ${count} input images; the limit is ${max}.`,
  tooLarge: (file: File, maxBytes: number) =>
    `${file.name} is ${formatMegabytes(file.size)}; input images must be under ${formatMegabytes(maxBytes)}.`,
  notAnImage: (file: File) => `${file.name} is not an image (${file.type || "unknown type"}); ${TAKEN}.`,
  emptyMask:
    "Nothing is painted on the first image, so nothing would be edited; paint the region to change, or choose Whole image.",
  emptyMarkup: "Nothing is drawn on the first image; draw your markup, or choose Whole image.",
  noPrompt: "Write a prompt first: what to draw, or how to change the images.",
  cannotShow: (name: string) =>
    `${name} cannot be shown in this browser, so it cannot be painted on; send it as PNG or JPEG to paint.`,
  turnUnfinished: "The turn this goes on from is still drawing; send this once it has finished.",
  lostConnection: "The live updates stopped; they resume by themselves when the connection comes back.",
} as const;
