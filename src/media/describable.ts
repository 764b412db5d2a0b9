import { userError } from "../core/errors.js";
import type { RawFile } from "./check-inputs.js";
import { DEFAULT_MAX_INPUT_PIXELS, inspect } from "./decode.js";

/**
 * SVG is XML text (an `<?xml` prolog or comments may come first). sharp names it `svg` only when it parses; the
 * text is sniffed too, so a broken SVG gets Describe's sentence rather than "unreadable".
 */
function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes
    .subarray(0, 4096)
    .toString("utf8")
    .replace(/^\uFEFF?\s*/, "");
  return head.startsWith("<") && /<svg[\s>]/i.test(head);
}

/**
 * What Describe refuses before anything is reserved further or sent: an SVG (drawing code, not a picture the
 * model reads) and an animated image (which frame would it describe?). Other files go on to the usual header
 * checks, and the worker converts what OpenAI does not take (HEIC, BMP…) to PNG, as for edits.
 * @throws `UserError` `describe_svg` or `describe_animated`.
 */
export async function checkDescribable(images: readonly RawFile[]): Promise<void> {
  for (const file of images) {
    if (looksLikeSvg(file.bytes)) throw userError("describe_svg", { file: file.name });
    const info = await inspect(file.bytes, { kind: "image", text: file.name }, DEFAULT_MAX_INPUT_PIXELS);
    if (info.format === "svg") throw userError("describe_svg", { file: file.name });
    if (info.pages > 1) throw userError("describe_animated", { file: file.name, frames: info.pages });
  }
}
