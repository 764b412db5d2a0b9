import type { types } from "@slack/bolt";
import type { Action } from "../../actions/action.js";
import { clip } from "../../render/clip.js";
import { actionButton, imageActionsBlock } from "./action-elements.js";

/** A final as the result message has it: its index in the run, and its Slack file when the message can show it. */
export interface ResultImage {
  index: number;
  fileId?: string;
}

/** How a result of several images is laid out: a carousel of cards, or where Slack refuses carousels, image blocks. */
export type GalleryLayout = "carousel" | "image-menus";

const altText = (index: number, prompt: string) => clip(`Image ${index + 1}: ${prompt}`, 1900);

/**
 * A carousel of one card per image: its picture (when Slack can show it), "Image 3", and its own actions as
 * buttons, each pressing `v2:action:runId:image`. Slack shows 1 to 10 cards, as a run has 1 to 10 images.
 */
export function carouselBlock(
  images: readonly ResultImage[],
  prompt: string,
  perImage: readonly Action[],
  runId: string,
): types.KnownBlock {
  return {
    type: "carousel",
    elements: images.map(({ index, fileId }) => ({
      type: "card",
      ...(fileId
        ? { hero_image: { type: "image", slack_file: { id: fileId }, alt_text: altText(index, prompt) } }
        : {}),
      title: { type: "mrkdwn", text: `Image ${index + 1}` },
      actions: perImage.map((action) => actionButton(action, { action: action.name, runId, image: index })),
    })),
  };
}

/** Where the carousel is refused: each image block followed by its actions (a menu, or buttons). */
export function imageMenuBlocks(
  images: readonly ResultImage[],
  prompt: string,
  perImage: readonly Action[],
  runId: string,
): types.KnownBlock[] {
  return images.flatMap(({ index, fileId }) => [
    ...(fileId
      ? [{ type: "image" as const, slack_file: { id: fileId }, alt_text: altText(index, prompt) }]
      : []),
    imageActionsBlock(perImage, runId, index),
  ]);
}

/** The images of a result and their own actions, in the layout asked for. */
export function galleryBlocks(
  layout: GalleryLayout,
  images: readonly ResultImage[],
  prompt: string,
  perImage: readonly Action[],
  runId: string,
): types.KnownBlock[] {
  return layout === "carousel"
    ? [carouselBlock(images, prompt, perImage, runId)]
    : imageMenuBlocks(images, prompt, perImage, runId);
}
