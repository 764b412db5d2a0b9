import sharp from "sharp";

/** The longest side of a list's thumbnail: enough to tell runs apart, small enough for ten in one message. */
const THUMBNAIL_SIDE = 256;

/**
 * A small PNG of an image (an SVG drawn, a GIF's first frame), for lists such as `/history`; undefined when
 * the bytes cannot be read, so one damaged final leaves the rest of the list as it is.
 */
export async function thumbnail(bytes: Buffer): Promise<Buffer | undefined> {
  try {
    return await sharp(bytes)
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true })
      .png()
      .toBuffer();
  } catch {
    return undefined;
  }
}
