import type { RequestShape } from "../budget/job-cost.js";
import type { OpenAIConfig } from "../config/types.js";
import type { JobSpec } from "../core/job-spec.js";
import type { RedisClient } from "../core/redis-slots.js";
import type { ThreadStyle } from "../core/thread-style.js";
import type { RequestDefaults } from "../core/validate-request.js";
import type { ReturnPlace } from "../links/edit-region-link.js";
import type { EditRegionLinks } from "../links/edit-region-links.js";
import type { Logger } from "../logger.js";
import type { PriceTable } from "../pricing/prices.js";
import type { Canceller, CancelOutcome } from "../queue/cancel.js";
import type { JobQueues } from "../queue/imagine-queue.js";
import type { RunMetadata, RunStore } from "../storage/run-store.js";
import type { ThreadStyleStore } from "../stores/thread-style.js";
import type { ThreadAddress, ThreadStore } from "../stores/threads.js";
import type { FollowUp, RunDetails } from "./follow-ups.js";
import type { Press } from "./press-id.js";
import type { ClickPlace } from "./same-place.js";
import type { ShownRun } from "./shown-run.js";

/** Where a press comes from: a chat platform, or the web studio (`src/platforms/web/`). */
export type PlatformName = "discord" | "slack" | "web";

/**
 * Who may press: anyone where the run was made (`requireSamePlace` holds for every action), its requester
 * only, or its requester or an admin of the place. `refusal` is what anyone else is told.
 */
export type Pressers =
  | { kind: "anyone-here" }
  | { kind: "requester" | "requester-or-admin"; refusal(requester: string, platform: PlatformName): string };

/** Where an action is shown: its platforms, under which message, and whether a thread must be openable there. */
export interface Offer {
  platforms: readonly PlatformName[];
  /**
   * A result's buttons, a status's while its job waits or runs, each run's in the `/history` list, only on a
   * private confirmation (Finalize's Confirm), or under a Describe's prompts (one per prompt).
   */
  under: "result" | "status" | "history" | "confirmation" | "description";
  /**
   * Only where a thread can be opened on the message: outside a thread (Discord has no thread in a thread),
   * and not on a message only the interaction's webhook reaches (`ButtonPlace.webhookOnly`).
   */
  outsideThreads?: boolean;
  /** Only where the message is in a thread or a thread can be opened on it: not where only the webhook reaches. */
  inOrOnThread?: boolean;
  /** Reads the result's final images from the run folder: not offered when storage did not take them. */
  needsStoredFinal?: boolean;
  /** Also under a text answer (a turn where the model answered in words, with no image). */
  onAnswers?: boolean;
  /** Only where the web studio is on and reachable (`WEB_ENABLED`, `PUBLIC_BASE_URL`): it links there. */
  needsStudio?: boolean;
}

/** What actions need from the process; every platform's context has it. */
export interface ActionDeps {
  runs: RunStore;
  threads: ThreadStore;
  /** Each thread's pinned style (Pin style, Unpin style). */
  styles: ThreadStyleStore;
  queues: JobQueues;
  logger: Logger;
  /** The producer connection, for the stores actions keep (each person's runs, which Delete updates, and
   * Finalize's Confirm taken once), under `config.queuePrefix`. */
  redis: RedisClient;
  config: { openai: OpenAIConfig; prices: PriceTable; queuePrefix: string };
  cancel(runId: string, by: Canceller): Promise<CancelOutcome>;
  /** The studio's "Edit region" links; absent where the studio is off or has no public address. */
  editRegion?: EditRegionLinks;
}

/** A thread opened on a result for refining it, where the platform opens such threads (Discord). */
export interface RefineThreads {
  /** The result already sits in a thread, where none can be opened. */
  inThread: boolean;
  /** How a person continues there ("Write what to change", or by mentioning the bot). */
  how: string;
  /** Opens the thread (or finds the one already open) and returns its id. */
  open(runId: string): Promise<string>;
}

/** The thread a result's style is pinned to, and its first message, which says what is pinned. */
export interface StylePlace {
  /**
   * The thread the run's result belongs to: its own, or (Discord) the thread opened on its message, opened now
   * when `open`.
   * @throws `UserError` `style_needs_thread` where no thread can hold a style.
   */
  thread(metadata: RunMetadata, open: boolean): Promise<ThreadAddress>;
  /** Says on the thread's first message what is pinned now; nothing pinned removes the line. */
  showPinned(address: ThreadAddress, style: ThreadStyle | undefined): Promise<void>;
  /** The thread as a sentence names it (`<#id>` on Discord, "this thread" on Slack). */
  name(address: ThreadAddress): string;
}

/** A form asking for a prompt (Edit, Use as reference); its submit comes back as a press of `press` with the prompt. */
export interface PromptForm {
  title: string;
  label: string;
  submit: string;
  press: Press;
}

/** The few things a platform does for a press; everything else is the action's, the same everywhere. */
export interface PressPort {
  platform: PlatformName;
  place: ClickPlace;
  /** @throws `UserError` when the place's access lists keep the presser out. */
  requireAccess(): void;
  /** The platform's own rule: Manage Server or `DISCORD_ADMIN_ROLE_IDS`, `SLACK_ADMIN_USER_IDS`. */
  isAdmin(): boolean;
  /** Takes the press silently: the message will change or go (Discord wants an answer within 3 s). */
  acknowledge(): Promise<void>;
  answerPrivately(text: string): Promise<void>;
  /** Answers privately with `text` and one button pressing `confirm` (its action offered under confirmations). */
  confirmPrivately(text: string, confirm: { label: string; press: Press }): Promise<void>;
  /** The presser's request defaults: the operator's, under their own `/settings` where the platform has them. */
  requestDefaults(): Promise<RequestDefaults>;
  /** Shows a form for a prompt as the press's answer (Discord: a modal; Slack: a view opened by its trigger). */
  askForPrompt(form: PromptForm): Promise<void>;
  showDetails(details: RunDetails): Promise<void>;
  /** Through the intake, into a new message beside the result (the platform adds who and where). */
  submitFollowUp(followUp: FollowUp, press: Press): Promise<void>;
  /** Removes the pressed message (and what the platform shared with it). */
  deleteMessage(press: Press): Promise<void>;
  /** Posts a past result as a new message where the press was made, handed to the platform's renderer. */
  showRun(shown: ShownRun): Promise<void>;
  /** Turns the pressed status into "Cancelled": the job was still waiting, so no worker will. */
  showCancelled(job: JobSpec): Promise<void>;
  threads?: RefineThreads;
  style?: StylePlace;
  /** Where a chat platform's studio edits go back to, and how it hands over a link (Edit region). */
  studioReturn?: StudioReturnPort;
}

/** What Edit region needs of a chat platform: the result's place in chat, and a private answer with a link. */
export interface StudioReturnPort {
  /** The result's message and thread, from the run's reply target; undefined where nothing can be posted back. */
  place(metadata: RunMetadata): ReturnPlace | undefined;
  /** Answers only the presser: `text` and one button opening `link.url` (the link is theirs alone). */
  answerWithLink(text: string, link: { label: string; url: string }): Promise<void>;
}

/** A press on its way to its action: the pipeline has checked it and read who asked for the run. */
export interface Pressed {
  press: Press;
  port: PressPort;
  deps: ActionDeps;
  /** Who asked for the run and where; undefined when the run (or its job) is unknown. */
  origin: JobSpec["user"] | undefined;
  /** What the person typed in the action's form, when the press is that form's submit. */
  prompt?: string;
}

/** One button, the same on every platform: its id's action, its words, who may press it, what it does. */
export interface Action<Name extends string = string> {
  name: Name;
  label: string;
  /** A danger button asks for care (red on Discord and Slack). */
  tone: "plain" | "danger";
  offer: Offer;
  /** Who may press; from the configuration when the operator decides (Finalize: `FINALIZE_BY`). */
  pressers: Pressers | ((config: ActionDeps["config"]) => Pressers);
  /** Whether the place's access lists apply, as they do to whatever starts a job or acts on a result. */
  accessListed: boolean;
  /** Where the run's requester is read: its folder (a result), or the queue (a status: no folder yet). */
  origin: "run" | "queue";
  /** Takes an image index (`v2:` ids): an action on one image of the run. */
  perImage?: boolean;
  /** What a press would ask the intake to price, for showing its cost before it is pressed. */
  estimate?(runs: RunStore, press: Press): Promise<RequestShape>;
  run(pressed: Pressed): Promise<void>;
}

/** Keeps the action's name a literal type, so the registry knows every name. */
export const defineAction = <const Name extends string>(action: Action<Name>): Action<Name> => action;
