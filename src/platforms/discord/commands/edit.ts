import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { discordOption, optionNamed } from "./options.js";

/** Extra input slots: `image-2` … `image-<n>` (Discord has no repeatable options; 25 options at most). */
export const EDIT_REFERENCE_SLOTS = 6;

/** The `/imagine` options that matter for edits, after the attachments. */
const TUNING = ["model", "size", "quality", "n", "format", "background", "fidelity", "partials", "api"];

const options = imagineCommand.options;
const image = optionNamed(options, "image");

/** `/edit`: the image to edit, reference images, a mask and a prompt; parsed like `/imagine`. */
export const editData = {
  name: "edit",
  description: "Edit an image you attach (with up to 6 reference images and a mask)",
  options: [
    discordOption(optionNamed(options, "prompt"), { description: "How to change the image" }),
    discordOption(image, {
      required: true,
      description: "The image to edit: png, jpeg, webp, heic, avif, tiff, bmp or gif, under 50 MB",
    }),
    ...Array.from({ length: EDIT_REFERENCE_SLOTS }, (_, index) =>
      discordOption(image, {
        name: `image-${index + 2}`,
        description: `Reference image ${index + 2}: png, jpeg, webp, heic, avif, tiff, bmp or gif, under 50 MB`,
      }),
    ),
    discordOption(optionNamed(options, "mask")),
    ...TUNING.map((name) => discordOption(optionNamed(options, name))),
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
