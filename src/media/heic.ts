/**
 * HEIC/HEIF with HEVC-coded pixels (what iPhones save). sharp's prebuilt libheif reads the header but has no
 * HEVC decoder (libde265 is left out for patent reasons), so the pixels come from libheif-js: the same
 * libheif, with libde265, compiled to WebAssembly. Loaded on first use, on the decode thread (`js-decoder.ts`),
 * so processes that never see a HEIC (the gateway) never load it.
 */

type Libheif = typeof import("libheif-js/wasm-bundle.js")["default"];

let loaded: Promise<Libheif> | undefined;
function libheif(): Promise<Libheif> {
  loaded ??= import("libheif-js/wasm-bundle.js").then((module) => module.default);
  return loaded;
}

/** Why libheif refused a file: `unsupported` for a HEIF variant it has no decoder for, else `corrupt`. */
export class HeicError extends Error {
  constructor(
    readonly reason: "corrupt" | "unsupported",
    message: string,
  ) {
    super(message);
    this.name = "HeicError";
  }
}

function isError(value: object): value is { code: unknown; message: string } {
  return "code" in value && "message" in value;
}

function failure(message: string): HeicError {
  return new HeicError(/unsupported/i.test(message) ? "unsupported" : "corrupt", message);
}

/**
 * Decodes the primary image (the photo a phone shows; thumbnails and depth maps are other items) with its
 * rotation and mirroring applied, into interleaved RGB or RGBA rows for sharp's raw input.
 * @throws `HeicError`.
 */
export async function decodeHeic(
  bytes: Buffer,
  maxPixels: number,
): Promise<{ data: Buffer; width: number; height: number; channels: 3 | 4 }> {
  const heif = await libheif();
  const context = heif.heif_context_alloc();
  if (context === null) throw new HeicError("corrupt", "no HEIF context");
  try {
    const read = heif.heif_context_read_from_memory(context, bytes);
    if (read.code !== heif.heif_error_code.heif_error_Ok) throw failure(read.message);
    const handle = heif.heif_js_context_get_primary_image_handle(context);
    if (isError(handle)) throw failure(handle.message);
    try {
      const width = heif.heif_image_handle_get_width(handle);
      const height = heif.heif_image_handle_get_height(handle);
      // The header was checked by sharp already; the decoder's own view is checked again before allocating.
      if (width * height > maxPixels) throw new HeicError("corrupt", `primary image is ${width}x${height}`);
      const channels = heif.heif_image_handle_has_alpha_channel(handle) ? 4 : 3;
      const chroma =
        channels === 4
          ? heif.heif_chroma.heif_chroma_interleaved_RGBA
          : heif.heif_chroma.heif_chroma_interleaved_RGB;
      const decoded = await heif.heif_js_decode_image2(
        handle,
        heif.heif_colorspace.heif_colorspace_RGB,
        chroma,
      );
      if (isError(decoded)) throw failure(decoded.message);
      try {
        const plane = decoded.channels.find(
          (channel) => channel.id === heif.heif_channel.heif_channel_interleaved,
        );
        if (plane === undefined) throw new HeicError("corrupt", "no interleaved plane");
        // Rows may be padded (`stride`); sharp's raw input wants them packed.
        const rowBytes = plane.width * channels;
        const data = Buffer.alloc(rowBytes * plane.height);
        for (let y = 0; y < plane.height; y++) {
          data.set(plane.data.subarray(y * plane.stride, y * plane.stride + rowBytes), y * rowBytes);
        }
        return { data, width: plane.width, height: plane.height, channels };
      } finally {
        heif.heif_image_release(decoded.image);
      }
    } finally {
      heif.heif_image_handle_release(handle);
    }
  } finally {
    heif.heif_context_free(context);
  }
}
