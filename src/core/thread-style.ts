import { z } from "zod";
import { LIMITS } from "./limits.js";
import type { ImageRequest } from "./request.js";

/** A thread's pinned style: at most as many images as a request takes, one short sentence. */
export const STYLE_LIMITS = {
  maxImages: LIMITS.maxInputImages,
  /** A sentence, not a second prompt: it is added to every turn's prompt. */
  maxSentenceChars: 300,
} as const;

const StyleImageKey = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[\w.-]+(\/[\w.-]+)*$/, "must be a relative storage key")
  .refine((key) => !key.split("/").includes(".."), "must not contain ..");

/**
 * What a thread's pins added to one turn, as the intake read them: the job carries it, so the worker (and a
 * retry) sends exactly what was priced, whatever is pinned or unpinned meanwhile.
 */
export const ThreadStyleSchema = z.object({
  sentence: z.string().min(1).max(STYLE_LIMITS.maxSentenceChars).optional(),
  imageKeys: z.array(StyleImageKey).max(STYLE_LIMITS.maxImages),
});
export type ThreadStyle = z.infer<typeof ThreadStyleSchema>;

export const isEmptyStyle = (style: ThreadStyle) =>
  style.sentence === undefined && style.imageKeys.length === 0;

/** In a thread, a style applies to its Responses turns: the conversation the pins belong to. */
export const styleApplies = (request: Pick<ImageRequest, "api">) => request.api === "responses";

/** The turn's prompt as sent: the person's words, then the pinned sentence and what the pinned images are. */
export function styledRequest(request: ImageRequest, style: ThreadStyle | undefined): ImageRequest {
  if (style === undefined || isEmptyStyle(style)) return request;
  const lines = [request.prompt, ""];
  if (style.sentence !== undefined) lines.push(`Style: ${style.sentence}`);
  if (style.imageKeys.length > 0) {
    const count = style.imageKeys.length;
    lines.push(
      count === 1
        ? "The last input image is a style reference: match its style, not its content."
        : `The last ${count} input images are style references: match their style, not their content.`,
    );
  }
  return { ...request, prompt: lines.join("\n") };
}

/** `📌 Style: watercolour, soft light · 3 images`: what the thread's first message says is pinned. */
export function styleSummary(style: ThreadStyle): string {
  const images = style.imageKeys.length;
  const parts = [
    ...(style.sentence !== undefined ? [style.sentence] : []),
    ...(images > 0 ? [images === 1 ? "1 image" : `${images} images`] : []),
  ];
  return `📌 Style: ${parts.join(" · ")}`;
}
