import { invalidInput, type UserError } from "./errors.js";

/**
 * Every `invalid_input` code that option parsing, request validation and input checks can throw. Tests
 * enumerate these lists; docs can render them. A code, once shipped, keeps its meaning.
 */

/** `parseImagineOptions`: raw values from Discord, Slack flags or the CLI. */
export const OPTION_ERROR_CODES = ["invalid_option", "unknown_option", "missing_option"] as const;

/** `resolveRequest`: the request as a whole, against the model's capabilities. */
export const REQUEST_ERROR_CODES = [
  "invalid_option",
  "prompt_empty",
  "prompt_too_long",
  "unknown_model",
  "model_retired",
  "size_invalid",
  "size_not_multiple_of_16",
  "size_too_large",
  "size_aspect_ratio",
  "size_pixels_out_of_range",
  "size_not_supported",
  "quality_not_supported",
  "n_out_of_range",
  "partials_out_of_range",
  "partials_without_streaming",
  "compression_out_of_range",
  "compression_needs_jpeg_or_webp",
  "transparent_needs_png_or_webp",
  "transparent_not_supported",
  "format_not_supported",
  "frames_out_of_range",
  "frame_ms_out_of_range",
  "frames_need_gif",
  "gif_with_mask",
  "gif_size",
  "svg_single_image",
  "svg_generate_only",
  "mask_needs_image",
  "too_many_images",
  "fidelity_not_supported",
  "fidelity_needs_image",
  "complexity_not_supported",
  "moderation_not_supported_for_edits",
  "responses_single_image",
] as const;

/** `prepareInputs`: the bytes of input images and the mask. */
export const INPUT_ERROR_CODES = [
  "too_many_images",
  "mask_needs_image",
  "image_too_large",
  "image_unreadable",
  "image_corrupt",
  "image_too_many_pixels",
  "image_format_unsupported",
  "image_animated",
  "mask_unreadable",
  "mask_corrupt",
  "mask_too_many_pixels",
  "mask_format_unsupported",
  "mask_size_mismatch",
  "mask_not_greyscale",
  "mask_empty",
  "mask_too_large",
] as const;

export type OptionErrorCode = (typeof OPTION_ERROR_CODES)[number];
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];
export type ValidationErrorCode = OptionErrorCode | RequestErrorCode | InputErrorCode;

/** All of the above, without duplicates. */
export const VALIDATION_ERROR_CODES: readonly ValidationErrorCode[] = [
  ...new Set<ValidationErrorCode>([...OPTION_ERROR_CODES, ...REQUEST_ERROR_CODES, ...INPUT_ERROR_CODES]),
];

/** `invalidInput` restricted to the codes above, so a typo in a code fails the type check. */
export function validationError(
  code: ValidationErrorCode,
  message: string,
  details?: Record<string, unknown>,
): UserError {
  return invalidInput(code, message, details);
}
