import { userError } from "./errors.js";
import type { ImagineOptions } from "./imagine-options.js";

/** How many images a blend takes: two to mix at least, five before the result stops resembling any of them. */
export const BLEND_IMAGES = { min: 2, max: 5 } as const;

export const ASPECTS = ["square", "landscape", "portrait"] as const;
export type Aspect = (typeof ASPECTS)[number];

/** The standard sizes: every model takes them (`PRESET_SIZES`), so an aspect never fails on a model. */
const ASPECT_SIZES: Readonly<Record<Aspect, string>> = {
  square: "1024x1024",
  landscape: "1536x1024",
  portrait: "1024x1536",
};

/** @throws `UserError` `blend_image_count` unless there are 2 to 5 images. */
export function checkBlendCount(count: number): void {
  if (count < BLEND_IMAGES.min || count > BLEND_IMAGES.max) {
    throw userError("blend_image_count", { count, ...BLEND_IMAGES }, { details: { count } });
  }
}

/**
 * What is sent to the model: a blend is an edit with every image as a reference, and the model, asked only the
 * person's words, tends to lay the images side by side or edit the first. Naming the count and asking for one
 * scene is what makes it a blend; the person's prompt, when there is one, says what the scene should become.
 */
export function blendPrompt(count: number, prompt?: string): string {
  const blend =
    `Blend the ${count} input images into one coherent new image: combine their subjects, styles, ` +
    "colours and moods into a single scene where they belong together, not a collage or the images side by side.";
  // The person's words first: the result shows this prompt, and they should find what they typed at its start.
  const wish = prompt?.trim().replace(/[.\s]+$/, "");
  return wish ? `${wish}. ${blend}` : blend;
}

/** A blend's own options; the rest are the image options it offers (`commands/blend.ts`). */
export type BlendArgs = Omit<ImagineOptions, "prompt" | "size" | "image" | "mask" | "markup"> & {
  prompt?: string | undefined;
  aspect?: Aspect | undefined;
};

/**
 * A blend of `count` images as the options of an edit (the images themselves travel as the platform has them).
 * @throws `UserError` `blend_image_count` before anything is fetched or reserved.
 */
export function blendOptions({ prompt, aspect, ...rest }: BlendArgs, count: number): ImagineOptions {
  checkBlendCount(count);
  return {
    ...rest,
    prompt: blendPrompt(count, prompt),
    ...(aspect === undefined ? {} : { size: ASPECT_SIZES[aspect] }),
  };
}
