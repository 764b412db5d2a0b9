import { z } from "zod";
import { ImageRequestSchema } from "./request.js";
import { ThreadStyleSchema } from "./thread-style.js";

/** Storage keys only: a job never carries image bytes (Redis streams and job data stay small). */
const StorageKey = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[\w.-]+(\/[\w.-]+)*$/, "must be a relative storage key")
  .refine((key) => !key.split("/").includes(".."), "must not contain ..");

/**
 * Where in a thread a job continues. A named turn (`parentJobId`) is a branch; `fromRoot` starts the chain
 * afresh (no `previous_response_id`), as a re-roll of a thread's first turn must; neither means the thread's
 * latest turn when the job runs, so two messages typed in a row chain one after the other. Job data written
 * before `fromRoot` existed reads as before.
 */
export const ThreadRefSchema = z
  .object({
    platform: z.string().min(1),
    workspace: z.string().min(1),
    thread: z.string().min(1),
    parentJobId: z.string().optional(),
    fromRoot: z.literal(true).optional(),
    /**
     * Typed by a person in the conversation (not a button's re-run): the model may answer it in words instead
     * of drawing, a question about the image rather than a change to it.
     */
    mayAnswer: z.literal(true).optional(),
  })
  .refine((ref) => ref.parentJobId === undefined || ref.fromRoot === undefined, {
    message: "a thread reference continues a turn or starts from the root, not both",
  });

/**
 * Where and how to show progress. Each platform's renderer factory validates its own fields; the queue only
 * needs the kind to pick the factory, so platforms can add reply shapes without touching the queue.
 */
export const ReplyTargetSchema = z.object({ kind: z.string().min(1) }).catchall(z.unknown());

export const JobSpecSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  request: ImageRequestSchema,
  inputs: z.object({
    images: z.array(StorageKey).max(16),
    mask: StorageKey.optional(),
    /** A transparent PNG overlaid on the first image to guide the edit (`markup`). */
    markup: StorageKey.optional(),
  }),
  user: z.object({
    platform: z.string().min(1),
    id: z.string().min(1),
    workspace: z.string().optional(),
  }),
  thread: ThreadRefSchema.optional(),
  /** The thread's pinned style, sent after the turn's own images and prompt (`core/thread-style.ts`). */
  style: ThreadStyleSchema.optional(),
  reply: ReplyTargetSchema,
  /** What the job makes: absent for images (every job before Describe), `describe` for prompts proposed for its image. */
  kind: z.literal("describe").optional(),
  queuedAt: z.iso.datetime(),
});

export type JobSpec = z.infer<typeof JobSpecSchema>;
export type ThreadRef = z.infer<typeof ThreadRefSchema>;
export type ReplyTarget = z.infer<typeof ReplyTargetSchema>;

/** What a finished job returns to BullMQ: small, and enough for buttons and follow-ups to find the run. */
export interface JobResult {
  runId: string;
  finals: string[];
  responseId?: string;
  revisedPrompt?: string;
}

/** Progress events carry small status objects, never frames. */
export type JobProgressStatus =
  | { stage: "started" }
  | { stage: "partial"; index: number }
  | { stage: "text" }
  | { stage: "final"; images: number };
