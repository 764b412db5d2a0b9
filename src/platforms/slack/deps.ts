import type { webApi } from "@slack/bolt";
import type { ThreadRef } from "../../core/job-spec.js";
import type { PlatformContext } from "../platform.js";
import type { SlackAssistantThreads } from "./assistant-threads.js";
import type { SlackMessageRuns } from "./message-runs.js";
import type { ResolvedSlackOptions } from "./options.js";

/** What the listeners share: the process's context and the platform's own pieces. */
export interface SlackDeps {
  context: PlatformContext;
  client: webApi.WebClient;
  token: string;
  options: ResolvedSlackOptions;
  messageRuns: SlackMessageRuns;
  /** The threads Slack opened in its assistant view. */
  assistantThreads: SlackAssistantThreads;
  /** Whether the workspace refused a carousel, shared by every renderer of the process. */
  carousels: { refused: boolean };
  /** Whether the workspace refused text streaming, shared the same way. */
  streams: { refused: boolean };
}

/** A file as Slack events and `conversations.replies` describe it. */
export interface SlackFileRef {
  id?: string;
  name?: string | null;
  mimetype?: string;
  url_private?: string;
  size?: number;
}

/** The files among `files` the intake fetches: images with a download URL. */
export function imageFiles(files: readonly SlackFileRef[]): SlackFileRef[] {
  return files.filter((file) => file.mimetype?.startsWith("image/") && file.url_private);
}

/**
 * A Slack thread as the thread store addresses it: the team, and the channel with the thread's root ts (a ts
 * is unique only within its channel, so two channels' threads may share one).
 */
export function slackThread(team: string, channel: string, rootTs: string): ThreadRef {
  return { platform: "slack", workspace: team, thread: `${channel}:${rootTs}` };
}
