import { setTimeout as sleep } from "node:timers/promises";
import { BackgroundRun, streamRun } from "./background.js";
import { invalidRequest, invalidType, missingParameter, notFound } from "./errors.js";
import { sendJson } from "./http.js";
import { checkMask, inspectImage, loadImageUrl } from "./image-inputs.js";
import { finalImage } from "./images-routes.js";
import { modelGone } from "./models-routes.js";
import { parseImageOptions } from "./params.js";
import { encode, renderRaw } from "./pictures.js";
import { answersInText, answerText } from "./responses-answers.js";
import { describeTurn, finalOutput, newId, responseObject, type Turn } from "./responses-build.js";
import { planSearch } from "./responses-search.js";
import { type RenderedTurn, streamTurn } from "./responses-stream.js";
import { SseStream } from "./sse.js";
import { type FakeState, jsonBody, type RouteContext, type StoredResponse } from "./state.js";

interface TurnInput {
  texts: string[];
  images: Buffer[];
}

/** `input` as a string, or items: messages with `input_text`/`input_image`, or earlier image calls. */
async function readInput(input: unknown, state: FakeState): Promise<TurnInput> {
  if (typeof input === "string") return { texts: [input], images: [] };
  if (!Array.isArray(input)) throw invalidType("input", "a string or an array", input);
  const out: TurnInput = { texts: [], images: [] };
  for (const [i, item] of (input as Array<Record<string, unknown> | null>).entries()) {
    if (item?.type === "image_generation_call") {
      const image = state.imageCalls.get(String(item.id));
      if (!image) throw invalidRequest(`Item with id '${String(item.id)}' not found.`, `input[${i}].id`);
      out.images.push(image);
      continue;
    }
    if (item?.role !== "user") continue;
    const content = item.content;
    if (typeof content === "string") out.texts.push(content);
    if (!Array.isArray(content)) continue;
    for (const [j, part] of (content as Array<Record<string, unknown>>).entries()) {
      const param = `input[${i}].content[${j}]`;
      if (part.type === "input_text" && typeof part.text === "string") out.texts.push(part.text);
      if (part.type !== "input_image") continue;
      if (part.image_url === undefined)
        throw invalidRequest(`File '${String(part.file_id)}' not found.`, `${param}.file_id`);
      const bytes = await loadImageUrl(part.image_url, `${param}.image_url`);
      out.images.push(
        (await inspectImage(bytes, `${param}.image_url`, ["png", "jpeg", "webp", "gif"])).bytes,
      );
    }
  }
  return out;
}

function previous(state: FakeState, id: unknown): StoredResponse | undefined {
  if (id === undefined || id === null) return undefined;
  const found = typeof id === "string" ? state.responses.get(id) : undefined;
  if (!found)
    throw invalidRequest(
      `Previous response with id '${String(id)}' not found.`,
      "previous_response_id",
      "previous_response_not_found",
    );
  return found;
}

interface Plan {
  turn: Turn;
  base?: Buffer;
  mask?: Buffer;
}

async function planTurn(body: Record<string, unknown>, state: FakeState): Promise<Plan> {
  const model = body.model;
  if (typeof model !== "string" || model === "") throw missingParameter("model");
  if (body.input === undefined || body.input === null) throw missingParameter("input");
  const prev = previous(state, body.previous_response_id);
  const input = await readInput(body.input, state);
  const tools = body.tools ?? [];
  if (!Array.isArray(tools)) throw invalidType("tools", "an array", tools);
  const toolIndex = tools.findIndex((t: { type?: unknown } | null) => t?.type === "image_generation");
  const tool = tools[toolIndex] as Record<string, unknown> | undefined;
  const userText = input.texts.join(" ").trim() || "(image only)";
  const turnNumber = (prev?.turn ?? 0) + 1;
  const prompts = [...(prev?.prompts ?? []), userText];
  const answers = answersInText(body, input.texts.at(-1) ?? "");
  const withImage = tool !== undefined && body.tool_choice !== "none" && !answers;
  const described = describeTurn(turnNumber, prompts, userText, withImage);
  const { revisedPrompt } = described;
  const text = answers ? answerText(turnNumber, prompts, userText) : described.text;
  const turn: Turn = {
    id: newId("resp"),
    createdAt: Math.floor(Date.now() / 1000),
    model,
    body,
    previousResponseId: prev ? (body.previous_response_id as string) : null,
    turn: turnNumber,
    prompts,
    userText,
    inputImages: input.images.length,
    messageId: newId("msg"),
    text,
  };
  const search = planSearch(body, input.texts.at(-1) ?? userText);
  if (search) turn.search = search;
  const plan: Plan = { turn };
  if (!tool) return plan;
  const prefix = `tools[${toolIndex}].`;
  const opts = parseImageOptions(tool, {
    endpoint: "tool",
    prefix,
    stream: body.stream === true,
    gone: (model) => modelGone(state, model),
  });
  // A chained turn edits the previous image unless the tool is forced to generate afresh.
  const base = input.images[0] ?? (tool.action === "generate" ? undefined : prev?.image);
  if (tool.action === "edit" && !base)
    throw invalidRequest("No image to edit was provided.", `${prefix}action`);
  if (withImage)
    turn.image = { opts, action: base ? "edit" : "generate", callId: newId("ig"), revisedPrompt };
  if (base) plan.base = base;
  const maskUrl = (tool.input_image_mask as { image_url?: unknown } | undefined)?.image_url;
  if (maskUrl !== undefined && base) {
    const mask = await inspectImage(
      await loadImageUrl(maskUrl, `${prefix}input_image_mask.image_url`),
      `${prefix}input_image_mask`,
      ["png"],
    );
    checkMask(mask, await inspectImage(base, "input_image"), `${prefix}input_image_mask`);
    plan.mask = mask.bytes;
  }
  return plan;
}

async function render(plan: Plan): Promise<RenderedTurn> {
  const { turn: t } = plan;
  if (!t.image) return { final: Buffer.alloc(0) };
  const { opts } = t.image;
  const scene = {
    prompt: t.userText,
    seed: `responses:${t.prompts.join("\n")}#${t.turn}`,
    width: opts.width,
    height: opts.height,
    transparent: opts.background === "transparent",
  };
  if (opts.format === "gif" || opts.format === "svg") return { final: await finalImage(scene, opts) };
  const raw = await renderRaw(scene, plan.base, plan.mask);
  return { raw, final: await encode(raw, opts.format, opts.compression) };
}

function store(
  state: FakeState,
  plan: Plan,
  body: Record<string, unknown>,
  image: Buffer | undefined,
): StoredResponse {
  const prev = plan.turn.previousResponseId ? state.responses.get(plan.turn.previousResponseId) : undefined;
  const stored: StoredResponse = { body, turn: plan.turn.turn, prompts: plan.turn.prompts };
  const chainImage = image ?? prev?.image;
  if (chainImage) stored.image = chainImage;
  if (image && plan.turn.image) state.imageCalls.set(plan.turn.image.callId, image);
  // A finished background response can still be streamed again.
  const run = state.responses.get(plan.turn.id)?.run;
  if (run) stored.run = run;
  // `store: false` answers normally but can be neither retrieved nor chained from.
  if (body.store !== false) state.responses.set(plan.turn.id, stored);
  return stored;
}

export async function handleCreateResponse(ctx: RouteContext): Promise<void> {
  const body = jsonBody(ctx);
  const plan = await planTurn(body, ctx.state);
  const t = plan.turn;
  const complete = async (): Promise<[Record<string, unknown>, Buffer | undefined]> => {
    const rendered = await render(plan);
    const image = t.image ? rendered.final : undefined;
    return [responseObject(t, "completed", finalOutput(t, image?.toString("base64"))), image];
  };
  if (body.stream === true && body.background === true) return streamInBackground(ctx, plan);
  if (body.stream === true) {
    const sse = new SseStream(ctx.x, ctx.streamFailure);
    let seq = 0;
    await streamTurn(
      (type, fields) => sse.send(type, { type, sequence_number: seq++, ...fields }),
      t,
      () => render(plan),
      (done, image) => store(ctx.state, plan, done, image),
    );
    return sse.end();
  }
  if (body.background === true) {
    // Background mode answers `queued` at once; the work finishes later unless cancelled.
    const stored = store(ctx.state, plan, responseObject(t, "queued", []), undefined);
    await sendJson(ctx.x, 200, stored.body);
    await sleep(Math.max(ctx.x.latency(), 50));
    const [done, image] = await complete();
    if (!stored.cancelled && ctx.state.responses.get(t.id) === stored) store(ctx.state, plan, done, image);
    return;
  }
  const [done, image] = await complete();
  store(ctx.state, plan, done, image);
  await sendJson(ctx.x, 200, done);
}

/**
 * `background: true, stream: true`: the generation runs apart from this request (a client that goes away
 * stops only its own reading), stored from the start so it can be retrieved, resumed and cancelled.
 */
function streamInBackground(ctx: RouteContext, plan: Plan): Promise<void> {
  const t = plan.turn;
  const stored = store(ctx.state, plan, responseObject(t, "queued", []), undefined);
  const run = new BackgroundRun(ctx.state, stored);
  stored.run = run;
  if (ctx.stuckQueued) {
    // It never starts: the first event is all there is, and this stream is cut after it.
    run.emit("response.created", { response: stored.body }).catch(() => undefined);
    ctx.streamFailure = { type: "stream_cut", afterEvents: 1 };
  } else {
    run.start(() =>
      streamTurn(
        run.emit,
        t,
        () => render(plan),
        (done, image) => {
          if (!stored.cancelled) store(ctx.state, plan, done, image);
        },
      ),
    );
  }
  return streamRun(ctx, run, -1);
}

function stored(ctx: RouteContext): StoredResponse {
  const found = ctx.id === undefined ? undefined : ctx.state.responses.get(ctx.id);
  if (!found) throw notFound(`Response with id '${ctx.id ?? ""}' not found.`);
  return found;
}

/** `?stream=true&starting_after=n` reads a streamed background response again from event n + 1. */
export function handleRetrieveResponse(ctx: RouteContext): Promise<void> {
  const found = stored(ctx);
  if (ctx.request.query.stream !== "true") return sendJson(ctx.x, 200, found.body);
  if (!found.run) {
    throw invalidRequest(
      "Only responses created with background=true and stream=true can be streamed.",
      "stream",
    );
  }
  const after = Number(ctx.request.query.starting_after ?? -1);
  if (!Number.isInteger(after)) throw invalidType("starting_after", "an integer", after);
  return streamRun(ctx, found.run, after);
}

export function handleDeleteResponse(ctx: RouteContext): Promise<void> {
  stored(ctx);
  ctx.state.responses.delete(ctx.id ?? "");
  return sendJson(ctx.x, 200, { id: ctx.id, object: "response", deleted: true });
}

export function handleCancelResponse(ctx: RouteContext): Promise<void> {
  const found = stored(ctx);
  if (found.body.background !== true)
    throw invalidRequest("Only responses created with background=true can be cancelled.", "response_id");
  if (found.body.status === "queued" || found.body.status === "in_progress") {
    found.cancelled = true;
    found.body = { ...found.body, status: "cancelled" };
    found.run?.finish();
  }
  return sendJson(ctx.x, 200, found.body);
}
