import sharp from "sharp";
import { userError } from "../core/errors.js";
import type { InputFile } from "../core/images.js";
import { LIMITS } from "../core/limits.js";
import { decodeFailure, decoderOptions, type FileLabel, type Inspected, inspect } from "./decode.js";
import { fitMask } from "./mask-fit.js";
import { sizesDiffer } from "./mask-header.js";

export const markupLabel = (name: string): FileLabel => ({ kind: "markup", text: `The markup (${name})` });

type Size = { width: number; height: number };

/**
 * What a markup's header can tell, without decoding a pixel: under the size cap, a PNG with an alpha channel
 * (OpenAI's "transparent PNG"; unlike a mask, nothing is converted: which strokes guide the edit is the
 * person's drawing) and the first image's size as displayed (EXIF orientation applied).
 * @throws `UserError` with a `markup_*` code.
 */
export async function checkMarkupHeader(
  file: { name: string; bytes: Buffer },
  first: Size,
  maxPixels: number,
): Promise<Inspected> {
  const label = markupLabel(file.name);
  if (file.bytes.length >= LIMITS.maxMarkupBytes) {
    const bytes = file.bytes.length;
    throw userError(
      "markup_too_large",
      { file: label.text, bytes, maxBytes: LIMITS.maxMarkupBytes },
      { details: { bytes } },
    );
  }
  const info = await inspect(file.bytes, label, maxPixels);
  if (info.format !== "png") {
    const { format } = info;
    throw userError(
      "markup_format_unsupported",
      { seen: "header", file: label.text, format },
      { details: { format } },
    );
  }
  if (!info.hasAlpha) throw userError("markup_without_alpha", { file: label.text });
  const differ = sizesDiffer(info, first);
  if (differ) {
    const sizes = { markup: differ.overlay, image: differ.image };
    throw userError("markup_size_mismatch", sizes, { details: sizes });
  }
  return info;
}

/**
 * The worker's check of a markup, every pixel decoded: what `checkMarkupHeader` checks, then at least one fully
 * transparent pixel (OpenAI: it "must contain transparent pixels"), then the size the first image is sent at.
 * @throws `UserError` with a `markup_*` code.
 */
export async function prepareMarkup(
  file: { name: string; bytes: Buffer },
  first: { received: Size; sent: Size },
  maxPixels: number,
): Promise<InputFile> {
  const label = markupLabel(file.name);
  await checkMarkupHeader(file, first.received, maxPixels);
  let alphaMin: number | undefined;
  try {
    // libvips in the thread pool; the header said there is alpha, so it is the last band.
    const { channels } = await sharp(file.bytes, decoderOptions(maxPixels)).stats();
    alphaMin = channels.at(-1)?.min;
  } catch (cause) {
    throw decodeFailure(cause, label, maxPixels);
  }
  if (alphaMin !== 0) throw userError("markup_opaque", { file: label.text });
  return fitMask({ name: "markup.png", bytes: file.bytes, contentType: "image/png" }, first.sent);
}
