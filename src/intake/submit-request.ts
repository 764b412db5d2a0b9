import { basename } from "node:path";
import { type Pricing, type RequestShape, reservationFor } from "../budget/job-cost.js";
import type { BudgetLedger } from "../budget/ledger.js";
import { userError } from "../core/errors.js";
import type { EngineInputs } from "../core/images.js";
import type { ImageRequest } from "../core/request.js";
import { newRunId } from "../core/run-id.js";
import { styledRequest } from "../core/thread-style.js";
import { resolveRequest } from "../core/validate-request.js";
import { checkInputHeaders, type RawFile } from "../media/check-inputs.js";
import { checkDescribable } from "../media/describable.js";
import type { JobQueues } from "../queue/imagine-queue.js";
import { positionIfQueuedNow } from "../queue/queue-position.js";
import type { RunStore } from "../storage/run-store.js";
import type { ThreadStyleStore } from "../stores/thread-style.js";
import type { UserLimits } from "../stores/user-limits.js";
import { turnStyle } from "../style/turn-style.js";
import { checkOptions, enqueueRun } from "./enqueue-run.js";
import type { IntakePort } from "./intake-port.js";
import type { AttachmentRef, IntakeRequest } from "./intake-request.js";

/** What the intake needs from the process. */
export interface IntakeDeps {
  queues: JobQueues;
  runs: RunStore;
  limits: UserLimits;
  budget: BudgetLedger;
  /** Threads' pinned styles, added to their turns; none where nothing is pinned (the CLI). */
  styles?: ThreadStyleStore;
  config: { prices: Pricing["prices"]; openai: { responsesModel: string } };
}

/** The parts of a request that pricing reads besides the request itself. */
type PricedInputs = Pick<
  IntakeRequest,
  "images" | "mask" | "storedImageKeys" | "storedMaskKey" | "markup" | "storedMarkupKey" | "thread" | "kind"
>;

const hasMarkup = (intake: PricedInputs) =>
  intake.markup !== undefined || intake.storedMarkupKey !== undefined;

/** Stored and attached images: counted before any file is read. */
const imageCount = (intake: PricedInputs) =>
  (intake.storedImageKeys?.length ?? 0) + (intake.images?.length ?? 0);

function resolved(intake: IntakeRequest): ImageRequest {
  const { ask } = intake;
  if ("request" in ask) return ask.request;
  // A Describe's request is what its "Use" buttons make: a new image, from no input.
  const counts =
    intake.kind === "describe"
      ? { imageCount: 0, hasMask: false, hasMarkup: false }
      : { imageCount: imageCount(intake), hasMask: intake.mask !== undefined, hasMarkup: hasMarkup(intake) };
  if ("options" in ask) return resolveRequest(ask.options, counts, ask.defaults);
  return checkOptions(ask.raw, counts, ask.defaults);
}

/**
 * The request as pricing sees it, before any file is read; also a button's estimate (`actions/`).
 * `styleImages`: a thread's pinned style images, sent after the turn's own.
 */
export function requestShape(intake: PricedInputs, request: ImageRequest, styleImages = 0): RequestShape {
  return {
    request,
    imageCount: imageCount(intake) + styleImages,
    hasMask: intake.mask !== undefined || intake.storedMaskKey !== undefined,
    ...(hasMarkup(intake) ? { hasMarkup: true } : {}),
    chained: intake.thread !== undefined && request.api === "responses",
    ...(intake.kind === "describe" ? { describe: true } : {}),
  };
}

const pricingOf = (deps: IntakeDeps): Pricing => ({
  prices: deps.config.prices,
  responsesModel: deps.config.openai.responsesModel,
});

/**
 * The new files' headers. A markup or a mask is drawn over the first image, which may be a stored one (an earlier
 * result edited through the Edit image form or the studio): its header is read from storage to check them against it.
 */
async function checkHeaders(
  runs: RunStore,
  intake: IntakeRequest,
  images: RawFile[],
  mask: RawFile | undefined,
  markup: RawFile | undefined,
): Promise<EngineInputs> {
  const firstKey = intake.storedImageKeys?.[0];
  if ((markup === undefined && mask === undefined) || firstKey === undefined)
    return checkInputHeaders(images, mask, markup ? { markup } : {});
  const bytes = await runs.blobs.find(firstKey);
  if (bytes === undefined)
    throw userError("run_not_found", { wanted: "remake" }, { details: { key: firstKey } });
  const first = { name: basename(firstKey), bytes };
  const inputs = await checkInputHeaders([first, ...images], mask, markup ? { markup } : {});
  return { ...inputs, images: inputs.images.slice(1) };
}

/** One at a time: the first file that fails is the one named, and no more is fetched after it. */
async function downloadAll(files: readonly AttachmentRef[]): Promise<RawFile[]> {
  const downloaded: RawFile[] = [];
  for (const file of files) downloaded.push(await file.download());
  return downloaded;
}

/** The request with its defaults and the thread's pinned style, and its shape for pricing: nothing fetched yet. */
async function checkedRequest(intake: IntakeRequest, styles: ThreadStyleStore | undefined) {
  const request = resolved(intake);
  const style = await turnStyle(styles, intake.thread, request, {
    imageCount: imageCount(intake),
    hasMask: intake.mask !== undefined || intake.storedMaskKey !== undefined,
  });
  return {
    request,
    style,
    priced: requestShape(intake, styledRequest(request, style), style?.imageKeys.length),
  };
}

/**
 * The one way from a platform event to a queued job, cheapest check first, so a refusal costs as little as
 * it can: the options and counts (nothing fetched yet), then the person's slot and the request's most
 * possible cost reserved from their budgets (`src/budget`), then the downloads (capped, the platform's hosts
 * only), then the files' headers (no pixel is decoded in the gateway: the worker does that), then the status
 * and the queue. Whatever fails after `accept`, slot and reservation are freed and the port withdraws what it
 * showed before the error goes on to the platform's handler guard, which answers it.
 * @returns the run id of the queued job.
 * @throws `UserError` for the person's mistake or limit; anything else is ours.
 */
export async function submitRequest(
  deps: IntakeDeps,
  intake: IntakeRequest,
  port: IntakePort,
): Promise<{ runId: string }> {
  // A platform may have acknowledged already (Discord in a burst): a refusal here takes that back too.
  const { request, style, priced } = await checkedRequest(intake, deps.styles).catch(async (error) => {
    await port.withdraw();
    throw error;
  });
  await port.accept?.();
  const runId = newRunId();
  let slotTaken = false;
  let reserved = false;
  try {
    await deps.limits.acquire(intake.user, runId);
    slotTaken = true;
    await deps.budget.reserve(runId, intake.user, reservationFor(priced, pricingOf(deps)));
    reserved = true;
    const images = await downloadAll(intake.images ?? []);
    const mask = intake.mask ? (await downloadAll([intake.mask]))[0] : undefined;
    const markup = intake.markup ? (await downloadAll([intake.markup]))[0] : undefined;
    if (intake.kind === "describe") await checkDescribable(images);
    const inputs = await checkHeaders(deps.runs, intake, images, mask, markup);
    const position = await positionIfQueuedNow(deps.queues, port.replyKind);
    const posted = await port.postStatus({
      request,
      runId,
      position,
      ...(intake.kind === "describe" ? { kind: intake.kind } : {}),
    });
    const thread = intake.thread ?? posted.thread;
    return await enqueueRun(deps.queues, deps.runs, {
      runId,
      request,
      inputs,
      ...(intake.storedImageKeys?.length ? { storedImageKeys: [...intake.storedImageKeys] } : {}),
      ...(intake.storedMaskKey ? { storedMaskKey: intake.storedMaskKey } : {}),
      ...(intake.storedMarkupKey ? { storedMarkupKey: intake.storedMarkupKey } : {}),
      ...(thread ? { thread } : {}),
      ...(style ? { style } : {}),
      user: intake.user,
      reply: posted.reply,
      ...(intake.kind ? { kind: intake.kind } : {}),
    });
  } catch (error) {
    if (slotTaken) await deps.limits.release(intake.user, runId).catch(() => undefined);
    if (reserved) await deps.budget.refund(runId).catch(() => undefined);
    await port.withdraw();
    throw error;
  }
}
