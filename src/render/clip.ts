/**
 * `text` cut to at most `max` characters, ending in "…" when cut: chat platforms refuse an over-long field
 * outright (Discord's 2000-character content, 1024-character embed field; Slack's 3000-character section),
 * so every text that can grow with a prompt is clipped before it is sent.
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
