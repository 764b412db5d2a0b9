import { z } from "zod";

/** Where a Slack job shows its progress: the status message the adapter posted. */
export const SlackReplySchema = z.object({
  kind: z.literal("slack"),
  team: z.string().min(1),
  channel: z.string().min(1),
  /** The status message the worker edits in place. */
  ts: z.string().min(1),
  /** The thread the status message sits in; finals are shared there (or in the status message's thread). */
  threadTs: z.string().min(1).optional(),
  /** Who asked: mentioned in the message, and the only one allowed to Delete. */
  user: z.string().min(1),
  /** The thread is one of Slack's assistant (agent) threads: its status line follows the run. */
  assistant: z.literal(true).optional(),
});

export type SlackReply = z.infer<typeof SlackReplySchema>;
