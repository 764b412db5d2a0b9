import type { ReplyTarget, ThreadRef } from "../core/job-spec.js";
import type { ImageRequest } from "../core/request.js";

/** The status a platform shows before the job is queued. */
export interface QueuedStatus {
  request: ImageRequest;
  runId: string;
  /** Jobs waiting ahead (0: next), taken before enqueueing so the worker's first edit is never overwritten. */
  position: number;
  /** A Describe makes no image: its status names no image model. */
  kind?: "describe";
}

/** Where the worker shows the run, as the platform answered when it posted the status. */
export interface PostedStatus {
  reply: ReplyTarget;
  /** The conversation the run belongs to when the platform decides it (Slack: the status message's thread). */
  thread?: ThreadRef;
}

/**
 * What a platform does for the intake: the only steps that differ between Discord interactions, Discord
 * messages and Slack. Refusals are not here: the intake throws the `UserError`, and each platform's one
 * handler guard answers it privately.
 */
export interface IntakePort {
  /** The `reply.kind` its `postStatus` answers: the job's queue, whose waiting jobs are its position. */
  replyKind: string;
  /**
   * The options passed and downloads may follow: acknowledge what must be acknowledged within a deadline
   * (Discord's interaction reply, 3 s), so nothing slower than the options comes before it. A platform may
   * have called it before the intake (Discord in a burst, `acks-first.ts`): a second call is the first one.
   */
  accept?(): Promise<void>;
  /** Shows "queued" (with the position) and says where the worker edits it. The last step before enqueueing. */
  postStatus(status: QueuedStatus): Promise<PostedStatus>;
  /** Nothing was queued: take back whatever `accept` or `postStatus` showed. Called on every failure. */
  withdraw(): Promise<void>;
}
