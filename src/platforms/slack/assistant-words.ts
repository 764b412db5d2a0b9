/**
 * What the app says in Slack's assistant view, in one place: the prompts it suggests when a person opens it,
 * the status line under the thread while a run waits and draws, and the thread's title.
 */

/** Shown when a person opens the assistant view: a click sends the message as their first prompt. */
export const SUGGESTED_PROMPTS = {
  title: "Try one of these",
  prompts: [
    { title: "A lighthouse at dusk", message: "A lighthouse at dusk, watercolor" },
    { title: "A fox in the snow", message: "A red fox curled up in fresh snow, soft morning light" },
    {
      title: "A cozy reading nook",
      message: "A cozy reading nook by a rainy window, isometric illustration",
    },
    { title: "A robot barista", message: "A friendly robot barista pouring latte art, 3D render" },
  ],
} as const;

/** The status line (Slack shows at most 50 characters) while the run waits in the queue. */
export const QUEUED_STATUS = "is waiting for a free worker…";

/** While the model draws: the status line, and the messages Slack rotates under it (at most 10). */
export const DRAWING_STATUS = {
  status: "is drawing…",
  loading_messages: ["Sketching the outlines…", "Mixing the colours…", "Adding the details…"],
};

/** Slack's thread list shows the title on one line. */
const TITLE_MAX = 60;

/** The thread's title: the first prompt, on one line, clipped. */
export function threadTitle(prompt: string): string {
  const line = prompt.replace(/\s+/g, " ").trim();
  return line.length <= TITLE_MAX ? line : `${line.slice(0, TITLE_MAX - 1)}…`;
}
