import sharp from "sharp";
import type { InputFile } from "../core/images.js";

/**
 * A converted mask (or a markup) at the size its image is sent at (an image larger than any model uses is
 * scaled down, and OpenAI wants both the same size). Nearest neighbour: edges stay as sharp as they were drawn.
 */
export async function fitMask(mask: InputFile, size: { width: number; height: number }): Promise<InputFile> {
  const { width, height } = await sharp(mask.bytes).metadata();
  if (width === size.width && height === size.height) return mask;
  const bytes = await sharp(mask.bytes)
    .resize({ ...size, fit: "fill", kernel: "nearest" })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { ...mask, bytes };
}
