import type { WebSource } from "../core/web-sources.js";
import { clip } from "./clip.js";

/** A source as a link: its URL and a short label safe inside either platform's link markup. */
export interface ListedSource {
  url: string;
  label: string;
}

/** Longer URLs are left out: a link cut to fit would lead nowhere. */
const MAX_URL = 400;
const MAX_LABEL = 80;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/**
 * The sources a result lists, the same on every platform: each labelled by its title (or its site), with the
 * characters either platform's link markup would read as markup taken out. A URL with spaces, angle brackets or
 * a `|` (which would break the markup) or an over-long one is left out rather than shown broken.
 */
export function listedSources(sources: readonly WebSource[] | undefined): ListedSource[] {
  return (sources ?? []).flatMap((source) => {
    if (source.url.length > MAX_URL || /[\s<>|]/.test(source.url)) return [];
    const title = (source.title ?? "")
      .replace(/[[\]|<>*_`~\\]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return [{ url: source.url, label: clip(title === "" ? hostOf(source.url) : title, MAX_LABEL) }];
  });
}
