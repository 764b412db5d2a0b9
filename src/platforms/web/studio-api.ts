/**
 * The web studio's HTTP API as the page sees it: every route under `/studio`, what it takes and what it answers.
 * Types only, imported by the server (`src/platforms/web/`) and by the page (`web/`, type-only imports), so the
 * two cannot drift. Every answer that refuses something is `{ error: string }` with the one sentence the person
 * reads (the same sentence chat gives for the same mistake) and a 4xx status; nothing is spent for it.
 *
 * Sessions are a signed `HttpOnly`, `SameSite=Lax` cookie (`Secure` when `PUBLIC_BASE_URL` is https). Every
 * POST carries the session's CSRF token in the `x-csrf-token` header (or a `csrf` form field): without it, 403.
 *
 *   GET  /studio/                      the page (dist/web/index.html); signed out: the sign-in page
 *   GET  /studio/assets/*              the page's built files (no other host is ever named by the page)
 *   GET  /studio/sign-in               the sign-in page: a button per provider configured
 *   GET  /studio/auth/:provider        redirects to Discord's or Slack's authorize page (state in a cookie)
 *   GET  /studio/auth/:provider/callback  the provider's answer: signs in, back to `/studio/` (or the pending link)
 *   GET  /studio/auth/once?token=…     single-operator mode: the one-time link printed at start
 *   POST /studio/sign-out
 *   GET  /studio/api/me                `StudioMe`
 *   POST /studio/api/runs              multipart `StudioRunForm`: answers `StudioRunAccepted`
 *   GET  /studio/api/runs/:runId       `StudioRun` (only the person's own runs: others are 404)
 *   GET  /studio/api/runs/:runId/files/:name  an image of the run (`inputs/…`, `partial_…`, `final_…`)
 *   GET  /studio/api/history?before=:runId   `StudioHistory`
 *   GET  /studio/api/conversations/:id `StudioConversation`
 *   POST /studio/api/actions           JSON `StudioPress`: answers `StudioPressAnswer`
 *   GET  /studio/api/events            server-sent events, each `data:` one `StudioEvent` (the person's runs only)
 *   GET  /studio/edit-region?link=…    an "Edit region" link from chat: checked (a refusal is a page with its one
 *                                      sentence, 403), then the page; signed out: `/studio/sign-in?next=<this path>`,
 *                                      and signing in should come back to `next` (a path under /studio only)
 *   GET  /studio/api/me?link=…         `StudioMe` with `editRegion` for a link of the signed-in person (else `{error}`)
 *   GET  /studio/api/edit-region/image?link=…  the linked image (the person may not own the run it is from)
 *
 * As the server implements them (`src/platforms/web/`, routes in `api-routes.ts` and `sign-in-routes.ts`):
 * - The cookie is `imagine_studio`, `Path=/studio`. A cookie from another secret or past its time answers the
 *   API with 401 and "Your sign-in has ended …" (and clears it); a page request redirects to
 *   `/studio/sign-in?ended=1`, which shows that sentence. No cookie: 401 "Sign in to use the studio.".
 * - `POST /studio/sign-out` takes the token in the header only. `POST /studio/api/runs` also takes it as a `csrf`
 *   field (read before anything else is done with the form).
 * - `GET /studio/api/runs/:runId` answers a run still waiting in the queue too (`status: "queued"`, no folder yet).
 * - `files/:name` names the file as the run folder does: `final_0.png`, `partial_1.png`, `inputs/image_0.png`.
 * - `/studio/api/events` writes `: connected` once it is subscribed (events published from then on arrive), and
 *   `: heartbeat` every 15 s. A Cancel of a waiting run ends it with a `failed` event.
 * - The mask: white where to change; black or transparent elsewhere (transparent counts as black).
 * - `GET /studio/api/history` pages by 20; `before` is the last `runId` of the page before.
 */

/** Who is signed in: the chat account they use the bot with, or the single operator. */
export interface StudioUser {
  platform: "discord" | "slack" | "web";
  id: string;
  /** The Slack team; none for Discord (the studio is no server) and the operator. */
  workspace?: string;
  name: string;
  admin: boolean;
}

/** One option of `commands/imagine.ts` (and `/edit`'s), as the page draws its field. */
export interface StudioOption {
  name: string;
  description: string;
  type: "string" | "integer" | "number" | "boolean";
  choices?: { name: string; value: string | number }[];
  min?: number;
  max?: number;
  required?: boolean;
}

/** A model the page offers, with what it can do (from the model table, never a name in the page's code). */
export interface StudioModel {
  name: string;
  /** Takes a markup overlay instead of (never with) a mask. */
  markup: boolean;
  /** Can edit (take input images). */
  edits: boolean;
}

export interface StudioMe {
  user: StudioUser;
  csrf: string;
  options: StudioOption[];
  models: StudioModel[];
  /** The operator's defaults under the person's own settings: what an untouched field means. */
  defaults: { model: string; api: "images" | "responses" };
  limits: { maxImages: number; maxFileBytes: number };
  /**
   * An "Edit region" link being answered (`me?link=`, the page passes its own `?link=`): the page opens on that
   * image (`imageUrl`), paints a mask (or markup) over it, and its submit (`StudioRunForm.link`) goes back to chat.
   */
  editRegion?: { link: string; runId: string; image: number; imageUrl: string; returnsTo: string };
}

/**
 * `POST /studio/api/runs` (multipart/form-data): `options` is a JSON object of option values by name (raw, as
 * typed: the server validates them as chat does); files `image` (repeated, 0–16), `mask` (PNG, white where to
 * change, black or transparent elsewhere), `markup` (transparent PNG). `from` continues a run of the person
 * (`{ runId, image }`: that final is the first input); `conversation` continues a conversation, `parent` branches
 * from one of its turns (a job id). `link` answers an "Edit region" link: the run is posted into that chat.
 * On the wire each field is one text part: `prompt`, `conversation`, `parent`, `link` as they are, `options` and
 * `from` as JSON text; the files follow the text parts.
 */
export interface StudioRunForm {
  prompt: string;
  options: Record<string, unknown>;
  from?: { runId: string; image: number };
  conversation?: string;
  parent?: string;
  link?: string;
}

export interface StudioRunAccepted {
  runId: string;
  /** The conversation the run belongs to (new when none was given and the API is Responses). */
  conversation?: string;
  /** Where it went when it answers an "Edit region" link ("your Discord thread"). */
  postedTo?: string;
}

/** An action button under a result, from the action registry (`src/actions/registry.ts`). */
export interface StudioAction {
  name: string;
  label: string;
  /** Pressed on one image (`perImage`). */
  image?: number;
  tone: "plain" | "danger";
}

export interface StudioRun {
  runId: string;
  status: "queued" | "running" | "completed" | "failed" | "delivery_failed" | "cancelled";
  prompt: string;
  revisedPrompt?: string;
  enhancedPrompt?: string;
  /** A Describe's answer: the prompts it proposes, each with its `describe-use` action (`image` = its index). */
  described?: string[];
  text?: string;
  model: string;
  api: "images" | "responses";
  /** URLs of `files/:name`. */
  inputs: string[];
  partials: string[];
  finals: string[];
  /** "$0.05 (1,056 image tokens…)": the same words as chat's Details. */
  cost?: string;
  details: string;
  error?: string;
  conversation?: string;
  jobId?: string;
  parentJobId?: string;
  actions: StudioAction[];
  /** For a replay: when the first partial and the final came, in ms from the start. */
  timings: { firstPartialMs?: number; totalMs?: number };
  createdAt: string;
}

export interface StudioHistory {
  runs: { runId: string; prompt: string; createdAt: string; thumbnail?: string }[];
  /** Pass as `before` for the next page; absent at the end. */
  next?: string;
}

/** A conversation's turns as a tree: each turn names its parent (absent for the first). */
export interface StudioConversation {
  id: string;
  turns: { jobId: string; runId: string; parentJobId?: string; prompt: string; thumbnail?: string }[];
}

export interface StudioPress {
  runId: string;
  action: string;
  image?: number;
  prompt?: string;
}

/** What a press did: a new run (Re-roll, Vary…), a sentence (Details, a refusal), or a prompt to ask for. */
export interface StudioPressAnswer {
  runId?: string;
  say?: string;
  askForPrompt?: { title: string; label: string; submit: string };
  /** Added by the server: a press that asks first (Finalize's price): `say` is the question, this the button. */
  confirm?: { label: string; press: StudioPress };
}

/** One server-sent event: the progress of one of the person's runs (published by the worker through Redis). */
export type StudioEvent =
  | { runId: string; type: "queued"; position: number }
  | { runId: string; type: "started"; resumed?: boolean }
  /** A partial frame, a small preview (`data:image/webp;base64,…`): frames are never stored in Redis. */
  | { runId: string; type: "partial"; index: number; preview: string }
  | { runId: string; type: "text"; delta: string }
  | { runId: string; type: "completed"; run: StudioRun }
  /** `cancelled`: the person (or an admin) stopped it, or the bot was stopped under it; nothing went wrong. */
  | { runId: string; type: "failed"; error: string; cancelled?: true };
