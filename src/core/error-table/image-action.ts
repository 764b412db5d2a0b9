import type { ErrorGroup } from "./entry.js";

/** Buttons that act on one image of a result (Finalize, Edit, Use as reference). */
export const IMAGE_ACTION_ERRORS = {
  image_index_unknown: {
    kind: "invalid_input",
    sentence: ({ image, images }: { image: number; images: number }) =>
      `That result has ${images === 1 ? "one image" : `${images} images`}, not an image ${image}.`,
  },
  image_not_kept: {
    kind: "invalid_input",
    sentence: ({ image }: { image: number }) =>
      `Image ${image} of that result is no longer kept (old results are removed after a while), so nothing was made from it.`,
  },
  finalize_confirmed: {
    kind: "invalid_input",
    sentence: "You just confirmed this Finalize; its image is on its way.",
  },
} as const satisfies ErrorGroup;
