import type { ServerResponse } from "node:http";
import { chosenImage } from "../../actions/chosen-image.js";
import { submitEditRegion } from "../../actions/edit-region-return.js";
import { contentTypeOfKey } from "../../core/content-types.js";
import { UserError, userError } from "../../core/errors.js";
import type { AttachmentRef } from "../../intake/intake-request.js";
import { type EditRegionLink, requireLinkPerson } from "../../links/edit-region-link.js";
import type { PlatformContext } from "../platform.js";
import { personDefaults } from "./defaults.js";
import { escapeHtml, redirect, SECURITY_HEADERS, sendHtml } from "./http.js";
import { jsonField, studioMask } from "./intake.js";
import { page, sendStudioPage } from "./pages.js";
import type { RouteRequest, SignedInRequest, StudioRoute } from "./routes.js";
import type { RunFormData, Upload } from "./run-form.js";
import { cookieValue } from "./session.js";
import type { StudioMe, StudioRunAccepted, StudioUser } from "./studio-api.js";

export const EDIT_REGION_IMAGE_PATH = "/studio/api/edit-region/image";

/**
 * The link being answered, kept for the page while it lives: the page at `/studio/edit-region` asks
 * `GET /studio/api/me` as on any visit, and finds it there. Cleared once used, refused or expired.
 */
const PENDING_COOKIE = "imagine_studio_edit";

function setPending(res: ServerResponse, context: PlatformContext, value: string, seconds: number): void {
  const secure = context.config.links.publicBaseUrl?.startsWith("https:") ? "; Secure" : "";
  res.appendHeader(
    "set-cookie",
    `${PENDING_COOKIE}=${value}; Path=/studio; HttpOnly; SameSite=Lax; Max-Age=${seconds}${secure}`,
  );
}

/** After a submit of the link: the page's next visit is an ordinary one. */
export const clearPendingEditRegion = (res: ServerResponse, context: PlatformContext) =>
  setPending(res, context, "", 0);

/**
 * `StudioMe.editRegion` for `GET /studio/api/me`: the link in `?link=` (its refusal is the answer), else the one
 * the page was opened from (`/studio/edit-region`), quietly forgotten once it can no longer be submitted.
 */
export async function pendingEditRegion({
  req,
  res,
  url,
  deps,
  user,
}: SignedInRequest): Promise<StudioMe["editRegion"]> {
  const asked = url.searchParams.get("link");
  if (asked) return editRegionOf(deps.context, user, asked);
  const pending = cookieValue(req, PENDING_COOKIE);
  if (!pending) return undefined;
  try {
    const link = await linkOf(deps.context, pending, user);
    if (!(await deps.context.editRegion?.used(link))) return await editRegionOf(deps.context, user, pending);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  clearPendingEditRegion(res, deps.context);
  return undefined;
}

/** Where the edit will be posted, as the page says it before the submit. */
export function returnsTo({ place, user }: Pick<EditRegionLink, "place" | "user">): string {
  if (place.platform === "slack") return "your Slack thread";
  if (place.thread) return "your Discord thread";
  return user.workspace ? "a Discord thread on your image" : "your Discord conversation with the bot";
}

/** The link of a request, read and checked against the signed-in person. */
async function linkOf(context: PlatformContext, token: string, user: StudioUser): Promise<EditRegionLink> {
  if (context.editRegion === undefined) throw userError("edit_region_off");
  const link = await context.editRegion.read(token);
  requireLinkPerson(link, user);
  return link;
}

/** `StudioMe.editRegion` for `GET /studio/api/me?link=…`: the page opens on that image, in paint mode. */
export async function editRegionOf(
  context: PlatformContext,
  user: StudioUser,
  token: string,
): Promise<StudioMe["editRegion"]> {
  const link = await linkOf(context, token, user);
  return {
    link: token,
    runId: link.runId,
    image: link.image,
    imageUrl: `${EDIT_REGION_IMAGE_PATH}?link=${encodeURIComponent(token)}`,
    returnsTo: returnsTo(link),
  };
}

/** A refusal as a page of its own: one sentence, nothing else loaded. */
function refusalPage({ res }: RouteRequest, error: UserError): void {
  sendHtml(res, 403, page("Edit region", `<p role="alert">${escapeHtml(error.message)}</p>`));
}

/**
 * `GET /studio/edit-region?link=…`: the link checked (signature, purpose, expiry) before anything else; signed
 * out, to sign-in and back here; signed in as the person it was made for, the page (which asks `me?link=`).
 */
async function openLink(request: RouteRequest): Promise<void> {
  const { req, res, url, deps } = request;
  const token = url.searchParams.get("link") ?? "";
  try {
    if (deps.context.editRegion === undefined) throw userError("edit_region_off");
    const link = await deps.context.editRegion.read(token);
    const session = deps.sessions.sessionOf(req);
    if (session.kind !== "signed-in") {
      const back = encodeURIComponent(`${url.pathname}${url.search}`);
      return redirect(res, `/studio/sign-in?next=${back}${session.kind === "ended" ? "&ended=1" : ""}`);
    }
    requireLinkPerson(link, session.user);
    setPending(res, deps.context, token, Math.ceil((link.expires - Date.now()) / 1000));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return refusalPage(request, error);
  }
  await sendStudioPage(res, deps.pageDir);
}

/** The linked image, for the person the link was made for: it may be a result someone else asked for. */
async function linkedImage({ res, url, deps, user }: SignedInRequest): Promise<void> {
  const link = await linkOf(deps.context, url.searchParams.get("link") ?? "", user);
  const { key } = await chosenImage(deps.context.runs, { action: "edit-region", ...link });
  const bytes = await deps.context.runs.blobs.get(key);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": contentTypeOfKey(key) ?? "application/octet-stream",
    "cache-control": "private, no-store",
  });
  res.end(bytes);
}

export const EDIT_REGION_ROUTES: StudioRoute[] = [
  { method: "GET", path: /^\/studio\/edit-region$/, signedIn: false, handle: openLink },
  { method: "GET", path: /^\/studio\/api\/edit-region\/image$/, signedIn: true, handle: linkedImage },
];

const attachment = (upload: Upload): AttachmentRef => ({
  name: upload.name,
  download: async () => ({ name: upload.name, bytes: upload.bytes }),
});

/**
 * `POST /studio/api/runs` with `link`: the page's edit of the linked image, posted back into that chat. The mask
 * is the studio's (white where to change), converted as the page's own runs are, against the linked image,
 * when the intake downloads it: after the link, the person and the image were checked.
 */
export async function submitEditRegionForm(
  context: PlatformContext,
  user: StudioUser,
  form: RunFormData,
): Promise<StudioRunAccepted> {
  const { fields } = form;
  const { mask } = form;
  const raw = { ...jsonField(fields.options, "options"), prompt: fields.prompt ?? "" };
  const token = fields.link ?? "";
  const accepted = await submitEditRegion(context, token, user, {
    raw,
    defaults: await personDefaults(context, user),
    images: form.images.map(attachment),
    ...(form.markup ? { markup: attachment(form.markup) } : {}),
    ...(mask
      ? {
          mask: {
            name: mask.name,
            async download() {
              const link = await linkOf(context, token, user);
              const { dimensions } = await chosenImage(context.runs, { action: "edit-region", ...link });
              return attachment(await studioMask(mask, dimensions)).download();
            },
          },
        }
      : {}),
  });
  return accepted;
}
