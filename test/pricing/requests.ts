import type { ImageRequest } from "../../src/core/request.js";

/** A validated request with every option set; tests change what they exercise. */
export function request(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return {
    prompt: "a red fox asleep in fresh snow, morning light",
    model: "gpt-image-2",
    api: "images",
    size: "1024x1024",
    quality: "high",
    n: 1,
    format: "png",
    background: "auto",
    moderation: "auto",
    partials: 0,
    ...overrides,
  };
}

export const NO_INPUTS = { images: [] };
