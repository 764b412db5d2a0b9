/**
 * The part of libheif-js (libheif compiled to WebAssembly, with the libde265 HEVC decoder) that `heic.ts`
 * uses: libheif's C API through its Emscripten bindings. The package ships no types for it.
 */
declare module "libheif-js/wasm-bundle.js" {
  /** Opaque handles and enum values owned by the WebAssembly module. */
  type Opaque = { readonly __libheif: unique symbol };
  interface HeifError {
    code: Opaque;
    message: string;
  }
  interface DecodedImage {
    image: Opaque;
    width: number;
    height: number;
    channels: { id: Opaque; data: Uint8Array; width: number; height: number; stride: number }[];
  }
  const libheif: {
    heif_error_code: { heif_error_Ok: Opaque };
    heif_colorspace: { heif_colorspace_RGB: Opaque };
    heif_chroma: { heif_chroma_interleaved_RGB: Opaque; heif_chroma_interleaved_RGBA: Opaque };
    heif_channel: { heif_channel_interleaved: Opaque };
    heif_context_alloc(): Opaque | null;
    heif_context_free(context: Opaque): void;
    heif_context_read_from_memory(context: Opaque, bytes: Uint8Array): HeifError;
    heif_js_context_get_primary_image_handle(context: Opaque): Opaque | HeifError;
    heif_image_handle_get_width(handle: Opaque): number;
    heif_image_handle_get_height(handle: Opaque): number;
    heif_image_handle_has_alpha_channel(handle: Opaque): boolean | number;
    heif_image_handle_release(handle: Opaque): void;
    heif_js_decode_image2(
      handle: Opaque,
      colorspace: Opaque,
      chroma: Opaque,
    ): DecodedImage | HeifError | Promise<DecodedImage | HeifError>;
    heif_image_release(image: Opaque): void;
  };
  export default libheif;
}
