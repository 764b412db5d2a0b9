import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { userError } from "../../core/errors.js";
import type { JobSpec, ThreadRef } from "../../core/job-spec.js";
import { checkOptions } from "../../intake/enqueue-run.js";
import type { IntakePort } from "../../intake/intake-port.js";
import type { AttachmentRef } from "../../intake/intake-request.js";
import { submitRequest } from "../../intake/submit-request.js";
import { DEFAULT_MAX_INPUT_PIXELS, inspect } from "../../media/decode.js";
import { prepareMask } from "../../media/mask.js";
import { checkMaskHeader } from "../../media/mask-header.js";
import type { PlatformContext } from "../platform.js";
import { publishStudioEvent, type StudioPerson, type WebReply } from "./channel.js";
import { personDefaults } from "./defaults.js";
import { ownRun } from "./own-run.js";
import type { RunFormData, Upload } from "./run-form.js";
import type { StudioEvent, StudioRunAccepted, StudioUser } from "./studio-api.js";
import { WEB_PLATFORM } from "./studio-run.js";

/** The person as every other part of the bot knows them: budgets, slots and access lists apply unchanged. */
export function jobUser(user: StudioUser): JobSpec["user"] {
  return { platform: user.platform, id: user.id, ...(user.workspace ? { workspace: user.workspace } : {}) };
}

export function personOf(user: StudioUser): StudioPerson {
  return { platform: user.platform, id: user.id };
}

/** A person's conversations live under their own key: another's conversation id names nothing of theirs. */
export function webThread(user: StudioUser, conversation: string, parentJobId?: string): ThreadRef {
  return {
    platform: WEB_PLATFORM,
    workspace: `${user.platform}-${user.id}`,
    thread: conversation,
    ...(parentJobId ? { parentJobId } : {}),
  };
}

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function jsonField(text: string | undefined, name: string): Record<string, unknown> | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw userError("web_form_invalid", { problem: `${name} is not JSON` });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw userError("web_form_invalid", { problem: `${name} is not a JSON object` });
  }
  return value as Record<string, unknown>;
}

const attachment = (upload: Upload): AttachmentRef => ({
  name: upload.name,
  download: async () => ({ name: upload.name, bytes: upload.bytes }),
});

/**
 * The studio's mask: white where to change, black or transparent elsewhere. Transparent is laid on black, so
 * chat's own conversion (`prepareMask`: white → alpha 0) reads it as the page meant; it runs here too, before
 * anything is reserved, so an empty mask or one of another size is refused in chat's words at no cost.
 */
export async function studioMask(mask: Upload, first: { width: number; height: number }): Promise<Upload> {
  await checkMaskHeader(mask, first, DEFAULT_MAX_INPUT_PIXELS);
  const bytes = await sharp(mask.bytes).autoOrient().flatten({ background: "#000000" }).png().toBuffer();
  const flat = { ...mask, bytes, contentType: "image/png" };
  await prepareMask(flat, first, DEFAULT_MAX_INPUT_PIXELS);
  return flat;
}

/**
 * Its position in the queue reaches the page as the run's first event; when nothing was queued after all, the
 * page hears that the run ended (the form's answer says why).
 */
export function webPort(context: PlatformContext, person: StudioPerson): IntakePort {
  const publish = (event: StudioEvent) =>
    publishStudioEvent(context.redis, context.config.queuePrefix, person, event);
  let shown: string | undefined;
  return {
    replyKind: "web",
    async postStatus({ runId, position }) {
      await publish({ runId, type: "queued", position });
      shown = runId;
      const reply: WebReply = { kind: "web", person };
      return { reply };
    },
    async withdraw() {
      if (shown === undefined) return;
      await publish({
        runId: shown,
        type: "failed",
        error: "Nothing was queued, and nothing was charged.",
      }).catch(() => undefined);
    },
  };
}

/**
 * A run from the studio's form through the one intake, so the page's mistakes read as chat's and cost nothing:
 * options as raw as Slack's flags, then a continued run's own final, then the mask, then the intake's slot,
 * reservation, header checks and queue.
 */
export async function submitStudioRun(
  context: PlatformContext,
  user: StudioUser,
  form: RunFormData,
): Promise<StudioRunAccepted> {
  const { fields } = form;
  const raw = { ...jsonField(fields.options, "options"), prompt: fields.prompt ?? "" };
  const from = jsonField(fields.from, "from");
  const storedImageKeys = from ? [await ownFinal(context, user, from)] : [];
  const defaults = await personDefaults(context, user);
  const counts = {
    imageCount: storedImageKeys.length + form.images.length,
    hasMask: form.mask !== undefined,
    hasMarkup: form.markup !== undefined,
  };
  const request = checkOptions(raw, counts, defaults);
  const mask = form.mask
    ? await studioMask(form.mask, await firstImageSize(context, form, storedImageKeys))
    : undefined;
  const conversation = conversationOf(fields.conversation, request.api === "responses");
  const thread = conversation ? webThread(user, conversation, fields.parent || undefined) : undefined;
  const { runId } = await submitRequest(
    context,
    {
      ask: { request },
      images: form.images.map(attachment),
      mask: mask ? attachment(mask) : undefined,
      markup: form.markup ? attachment(form.markup) : undefined,
      storedImageKeys,
      user: jobUser(user),
      thread,
    },
    webPort(context, personOf(user)),
  );
  return { runId, ...(conversation ? { conversation } : {}) };
}

/** The conversation given, or a new one for a Responses run (its next turn chains from this one). */
function conversationOf(given: string | undefined, responses: boolean): string | undefined {
  if (given !== undefined && given !== "") {
    if (!CONVERSATION_ID.test(given))
      throw userError("web_form_invalid", { problem: "conversation is not one of the studio's" });
    return given;
  }
  return responses ? randomBytes(9).toString("base64url") : undefined;
}

/** `from: { runId, image }`: that final of one of the person's own runs. */
async function ownFinal(
  context: PlatformContext,
  user: StudioUser,
  from: Record<string, unknown>,
): Promise<string> {
  const { runId, image } = from;
  if (typeof runId !== "string" || (image !== undefined && typeof image !== "number")) {
    throw userError("web_form_invalid", { problem: "from is not { runId, image }" });
  }
  const metadata = await ownRun(context.runs, user, runId);
  const key = metadata.finals[image ?? 0];
  if (key === undefined) throw userError("run_has_no_image");
  return key;
}

async function firstImageSize(
  context: PlatformContext,
  form: RunFormData,
  storedImageKeys: string[],
): Promise<{ width: number; height: number }> {
  const [storedKey] = storedImageKeys;
  const upload = form.images[0];
  const first = storedKey
    ? { name: storedKey.split("/").at(-1) ?? storedKey, bytes: await context.runs.blobs.get(storedKey) }
    : upload;
  // A mask without an image is refused by the options above (`mask_needs_image`).
  if (first === undefined) throw userError("mask_needs_image");
  return inspect(first.bytes, { kind: "image", text: `Image 1 (${first.name})` }, DEFAULT_MAX_INPUT_PIXELS);
}
