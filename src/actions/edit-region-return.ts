import { userError } from "../core/errors.js";
import type { ThreadRef } from "../core/job-spec.js";
import type { RequestDefaults } from "../core/validate-request.js";
import type { ChatReturns } from "../intake/chat-return.js";
import type { AttachmentRef, IntakeRequest } from "../intake/intake-request.js";
import { type EditRegionLink, requireLinkPerson } from "../links/edit-region-link.js";
import type { EditRegionLinks } from "../links/edit-region-links.js";
import type { RunMetadata, RunStore } from "../storage/run-store.js";
import type { ThreadStore } from "../stores/threads.js";
import { chosenImage } from "./chosen-image.js";
import { sameThreadPlace } from "./follow-ups.js";

/** What the studio's submit of an Edit region link needs from the process (a `PlatformContext` has it). */
export interface EditRegionReturnDeps {
  runs: RunStore;
  threads: ThreadStore;
  editRegion?: EditRegionLinks;
  chatReturns?: ChatReturns;
}

/** What the page sent: the prompt and options as typed, and the mask or markup painted over the image. */
export interface EditRegionSubmit {
  raw: Record<string, unknown>;
  defaults: RequestDefaults;
  mask?: AttachmentRef;
  markup?: AttachmentRef;
  /** More images after the chosen one. */
  images?: readonly AttachmentRef[];
}

const PLATFORM_NAMES = { discord: "Discord", slack: "Slack" } as const;

/**
 * The conversation the edit continues: the run's own turn when it is one (a Responses turn keeps its
 * `previous_response_id`), else where the run itself continued from; none outside a thread (the platform
 * decides where it posts).
 */
async function continuedThread(threads: ThreadStore, metadata: RunMetadata): Promise<ThreadRef | undefined> {
  const thread = metadata.origin.thread;
  if (thread === undefined) return undefined;
  const { parentJobId: _parent, fromRoot: _root, mayAnswer: _typed, ...address } = thread;
  const turn = await threads.find(address, { jobId: metadata.jobId });
  return turn ? { ...address, parentJobId: turn.jobId } : sameThreadPlace(metadata);
}

/**
 * The edit a link's page asks for, as the intake takes it: the chosen final first, then the page's files, on
 * the run's model and API unless the page chose others, by the person the link was made for.
 */
async function editRegionIntake(
  deps: EditRegionReturnDeps,
  link: EditRegionLink,
  submit: EditRegionSubmit,
): Promise<IntakeRequest> {
  const { metadata, key } = await chosenImage(deps.runs, { action: "edit-region", ...link });
  const thread = await continuedThread(deps.threads, metadata);
  const { model } = metadata.request;
  // A markup goes through the Images API only (as Vary with a markup does).
  const api = submit.markup ? "images" : metadata.request.api;
  return {
    ask: { raw: { model, api, ...submit.raw }, defaults: submit.defaults },
    storedImageKeys: [key],
    images: submit.images ?? [],
    mask: submit.mask,
    markup: submit.markup,
    thread,
    user: link.user,
  };
}

/**
 * The studio's submit of an Edit region link, cheapest check first: the link (signature, purpose, expiry), the
 * person, the way back to that chat, the image still kept; then its one use is taken and the edit goes through
 * the intake into the chat thread. A refusal there gives the use back (nothing was queued), so the person may
 * fix the page and submit again.
 * @throws `UserError` for every refusal, before anything is reserved or sent to OpenAI.
 */
export async function submitEditRegion(
  deps: EditRegionReturnDeps,
  token: string,
  person: { platform: string; id: string; workspace?: string | undefined },
  submit: EditRegionSubmit,
): Promise<{ runId: string; postedTo: string }> {
  if (deps.editRegion === undefined) throw userError("edit_region_off");
  const link = await deps.editRegion.read(token);
  requireLinkPerson(link, person);
  const chat = deps.chatReturns?.get(link.place.platform);
  if (chat === undefined)
    throw userError("chat_return_unavailable", { platform: PLATFORM_NAMES[link.place.platform] });
  const intake = await editRegionIntake(deps, link, submit);
  await deps.editRegion.take(link);
  try {
    return await chat.submit(link, intake);
  } catch (error) {
    await deps.editRegion.release(link).catch(() => undefined);
    throw error;
  }
}
