import { IMAGE_FILES } from "../src/core/imagine-options.js";
import { defineOptions } from "../src/core/option-definition.js";
import { attachmentSchema, booleanSchema, textSchema } from "../src/core/option-schemas.js";
import { STYLE_LIMITS } from "../src/core/thread-style.js";
import { defineCommand } from "./types.js";

/** Style image slots on Discord, which cannot repeat an option: `image`, then `image-2` … `image-6`. */
const IMAGE_SLOTS = 6;

/**
 * `/style`, inside a refinement thread: pins a style sentence and style images that every later turn there
 * uses (added after the turn's own images and prompt); `clear` unpins them first. Free: nothing is made.
 */
export const styleCommand = defineCommand({
  kind: "slash",
  name: "style",
  description: "In a refinement thread: pin a style sentence and images every later turn there uses",
  access: "listed",
  // Refinement threads exist only on servers that added the bot (it opens them there).
  reach: "servers",
  options: defineOptions([
    {
      name: "sentence",
      description: `The style, in a sentence (at most ${STYLE_LIMITS.maxSentenceChars} characters)`,
      type: "string",
      schema: textSchema("sentence", "a sentence"),
    },
    {
      name: "image",
      description: `A style image: ${IMAGE_FILES}`,
      type: "attachment",
      repeatable: IMAGE_SLOTS,
      slots: { count: IMAGE_SLOTS, slotDescription: `Style image {n}: ${IMAGE_FILES}` },
      schema: attachmentSchema("image"),
    },
    {
      name: "clear",
      description: "Unpin the thread's style first (alone: unpin it)",
      type: "boolean",
      schema: booleanSchema("clear"),
    },
  ]),
  // No Slack word: a slash command cannot say which thread it was typed in, so on Slack a style is a mention in
  // the thread (and `/imagine style …` stays a prompt).
  slackHelp: () =>
    "To pin a style in a thread, mention @imagine with `style <sentence>` inside it (attach style images to pin them too); `style clear` unpins it.",
});
