import { IMAGE_FILES, imagineOption, imagineOptions } from "../src/core/imagine-options.js";
import { defineOptions } from "../src/core/option-definition.js";
import { defineCommand } from "./types.js";

/** Input slots on Discord, which cannot repeat an option: `image`, then `image-2` … `image-7`. */
const IMAGE_SLOTS = 7;

/** `/edit`: the image to edit, reference images, a mask and a prompt; parsed like `/imagine`. */
export const editCommand = defineCommand({
  kind: "slash",
  name: "edit",
  description: `Edit an image you attach (with up to ${IMAGE_SLOTS - 1} reference images and a mask)`,
  access: "listed",
  options: defineOptions([
    { ...imagineOption("prompt"), description: "How to change the image" },
    {
      ...imagineOption("image"),
      description: `The image to edit: ${IMAGE_FILES}`,
      required: true,
      slots: { count: IMAGE_SLOTS, slotDescription: `Reference image {n}: ${IMAGE_FILES}` },
    },
    imagineOption("mask"),
    imagineOption("markup"),
    // The `/imagine` options that matter for edits.
    ...imagineOptions([
      "model",
      "size",
      "quality",
      "n",
      "format",
      "background",
      "fidelity",
      "partials",
      "api",
      "enhance",
      "private",
    ]),
  ]),
});
