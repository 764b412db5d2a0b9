import { contentTypeOfKey } from "../../core/content-types.js";
import { userError } from "../../core/errors.js";
import { isRunId } from "../../core/run-id.js";
import { findJob } from "../../queue/platform-queues.js";
import { RunIndex } from "../../stores/run-index.js";
import { personDefaults } from "./defaults.js";
import { clearPendingEditRegion, pendingEditRegion, submitEditRegionForm } from "./edit-region.js";
import { readJson, SECURITY_HEADERS, sendJson } from "./http.js";
import { personOf, submitStudioRun, webThread } from "./intake.js";
import { studioMe } from "./me.js";
import { isOwnJob, ownRun } from "./own-run.js";
import { pressStudioAction } from "./press.js";
import type { SignedInRequest, StudioRoute } from "./routes.js";
import { readRunForm } from "./run-form.js";
import type { StudioConversation, StudioHistory } from "./studio-api.js";
import { fileUrl, queuedRunOf, studioRunOf } from "./studio-run.js";

/** Runs per page of the history. */
const HISTORY_PAGE = 20;

async function postRun({ req, res, deps, user, csrf }: SignedInRequest): Promise<void> {
  const form = await readRunForm(req);
  // A form post (no script to set the header) carries the token as a field; checked before anything else.
  if (!deps.sessions.csrfMatches(req, { csrf }, form.fields.csrf)) throw userError("web_csrf_missing");
  // An "Edit region" link's answer goes back into its chat thread.
  const linked = form.fields.link;
  const accepted = linked
    ? await submitEditRegionForm(deps.context, user, form)
    : await submitStudioRun(deps.context, user, form);
  if (linked) clearPendingEditRegion(res, deps.context);
  sendJson(res, 202, accepted);
}

async function getFile({ res, params, deps, user }: SignedInRequest): Promise<void> {
  const [runId = "", name = ""] = params;
  const metadata = await ownRun(deps.context.runs, user, runId);
  const { inputs } = metadata;
  const keys = [
    ...inputs.images,
    ...(inputs.mask ? [inputs.mask] : []),
    ...(inputs.markup ? [inputs.markup] : []),
    ...metadata.partials,
    ...metadata.finals,
  ];
  const key = `${runId}/${name}`;
  // Only the files the run lists: never its metadata, never a path someone made up.
  const bytes = keys.includes(key) ? await deps.context.runs.blobs.find(key) : undefined;
  if (bytes === undefined) throw userError("web_run_not_found");
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": contentTypeOfKey(key) ?? "application/octet-stream",
    "cache-control": "private, max-age=86400",
  });
  res.end(bytes);
}

async function getHistory({ res, url, deps, user }: SignedInRequest): Promise<void> {
  const { context } = deps;
  const index = new RunIndex(context.redis, context.config.queuePrefix);
  const before = url.searchParams.get("before") ?? undefined;
  const ids = await index.newestOfPerson(personOf(user), HISTORY_PAGE, before);
  const runs: StudioHistory["runs"] = [];
  for (const runId of ids) {
    // Removed since (Delete, retention): left out, as `/history` leaves it out.
    const metadata = await context.runs.findMetadata(runId).catch(() => undefined);
    if (metadata === undefined) continue;
    const [first] = metadata.finals;
    runs.push({
      runId,
      prompt: metadata.prompt,
      createdAt: metadata.timings.queuedAt,
      ...(first ? { thumbnail: fileUrl(runId, first) } : {}),
    });
  }
  const last = ids.at(-1);
  const history: StudioHistory = { runs, ...(ids.length === HISTORY_PAGE && last ? { next: last } : {}) };
  sendJson(res, 200, history);
}

async function getConversation({ res, params, deps, user }: SignedInRequest): Promise<void> {
  const [id = ""] = params;
  const { context } = deps;
  const turns = await context.threads.turns(webThread(user, id));
  const conversation: StudioConversation = { id, turns: [] };
  for (const turn of turns) {
    const metadata = await context.runs.findMetadata(turn.jobId).catch(() => undefined);
    const [first] = turn.imageKeys;
    conversation.turns.push({
      jobId: turn.jobId,
      runId: turn.jobId,
      ...(turn.parentJobId ? { parentJobId: turn.parentJobId } : {}),
      prompt: metadata?.prompt ?? "",
      ...(first ? { thumbnail: fileUrl(turn.jobId, first) } : {}),
    });
  }
  sendJson(res, 200, conversation);
}

/** The studio's JSON API and its event stream: every route reads or changes the signed-in person's own runs. */
export const API_ROUTES: StudioRoute[] = [
  {
    method: "GET",
    path: /^\/studio\/api\/me$/,
    signedIn: true,
    async handle(request) {
      const { res, deps, user, csrf } = request;
      const { context } = deps;
      const defaults = await personDefaults(context, user);
      const api = defaults.api ?? context.config.openai.defaultApi;
      const me = studioMe(user, csrf, { model: defaults.model, api });
      // The page opened from an "Edit region" link opens on that image.
      const editRegion = await pendingEditRegion(request);
      sendJson(res, 200, editRegion ? { ...me, editRegion } : me);
    },
  },
  { method: "POST", path: /^\/studio\/api\/runs$/, signedIn: true, formCsrf: true, handle: postRun },
  {
    method: "GET",
    path: /^\/studio\/api\/runs\/([^/]+)$/,
    signedIn: true,
    async handle({ res, params, deps, user }) {
      const [runId = ""] = params;
      const { context } = deps;
      // Still waiting: no folder yet, but the page that sent it may ask.
      const job = isRunId(runId) ? await findJob(context.queues, runId) : undefined;
      if (job && (await job.getState()) === "waiting" && isOwnJob(job.data, user)) {
        return sendJson(res, 200, queuedRunOf(job.data));
      }
      sendJson(res, 200, studioRunOf(await ownRun(context.runs, user, runId)));
    },
  },
  { method: "GET", path: /^\/studio\/api\/runs\/([^/]+)\/files\/(.+)$/, signedIn: true, handle: getFile },
  { method: "GET", path: /^\/studio\/api\/history$/, signedIn: true, handle: getHistory },
  {
    method: "GET",
    path: /^\/studio\/api\/conversations\/([\w-]{1,64})$/,
    signedIn: true,
    handle: getConversation,
  },
  {
    method: "POST",
    path: /^\/studio\/api\/actions$/,
    signedIn: true,
    async handle({ req, res, deps, user }) {
      sendJson(res, 200, await pressStudioAction(deps.context, user, await readJson(req)));
    },
  },
  {
    method: "GET",
    path: /^\/studio\/api\/events$/,
    signedIn: true,
    handle: ({ res, deps, user }) => deps.hub.open(res, personOf(user)),
  },
];
