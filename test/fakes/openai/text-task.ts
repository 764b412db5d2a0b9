import sharp from "sharp";
import { invalidRequest, invalidType, missingParameter, unknownParameter } from "./errors.js";
import { sendJson } from "./http.js";
import { inspectImage, loadImageUrl } from "./image-inputs.js";
import { textTokens } from "./params.js";
import { newId, outputText } from "./responses-build.js";
import { jsonBody, type RouteContext } from "./state.js";

/**
 * A Responses request for text only: no tools, with `instructions` (Describe's and Enhance's asks). The answer
 * is deterministic and derived from the input: prompts naming an input image's dominant colour and size for a
 * `json_schema` asking for `prompts`, else the user's text with visual detail added in the same words.
 */
export function isTextTask(body: Record<string, unknown>): boolean {
  const tools = body.tools;
  return (
    typeof body.instructions === "string" &&
    (tools === undefined || (Array.isArray(tools) && tools.length === 0))
  );
}

/** The parameters a text task may carry, as the API knows them (a typo is a 400). */
const KNOWN = new Set([
  "model",
  "instructions",
  "input",
  "max_output_tokens",
  "text",
  "store",
  "safety_identifier",
  "tools",
  "metadata",
  "stream",
  "background",
  "reasoning",
]);

/** The API's floor for `max_output_tokens`. */
const MIN_OUTPUT_TOKENS = 16;
/** Tokens billed per input image (a 512 px tile at high detail: 85 + 170). */
const IMAGE_TOKENS = 255;
/** Reasoning the fake pretends to do before it writes. */
const REASONING_TOKENS = 64;

interface Seen {
  texts: string[];
  images: Array<{ colour: string; width: number; height: number }>;
}

async function readTextInput(input: unknown): Promise<Seen> {
  if (typeof input === "string") return { texts: [input], images: [] };
  if (!Array.isArray(input)) throw invalidType("input", "a string or an array", input);
  const seen: Seen = { texts: [], images: [] };
  for (const [i, item] of (input as Array<Record<string, unknown> | null>).entries()) {
    const content = item?.content;
    if (typeof content === "string") seen.texts.push(content);
    if (!Array.isArray(content)) continue;
    for (const [j, part] of (content as Array<Record<string, unknown>>).entries()) {
      const param = `input[${i}].content[${j}]`;
      if (part.type === "input_text") {
        if (typeof part.text !== "string") throw invalidType(`${param}.text`, "a string", part.text);
        seen.texts.push(part.text);
      } else if (part.type === "input_image") {
        const bytes = await loadImageUrl(part.image_url, `${param}.image_url`);
        // Vision takes PNG, JPEG, WebP and non-animated GIF.
        const image = await inspectImage(bytes, `${param}.image_url`, ["png", "jpeg", "webp", "gif"]);
        const { dominant } = await sharp(image.bytes).stats();
        seen.images.push({ colour: colourName(dominant), width: image.width, height: image.height });
      } else {
        throw invalidRequest(`Invalid value: '${String(part.type)}'.`, `${param}.type`, "invalid_value");
      }
    }
  }
  return seen;
}

/** The nearest of a few colour names: enough for tests to see that the model looked at the image. */
function colourName({ r, g, b }: { r: number; g: number; b: number }): string {
  const named: Array<[string, number, number, number]> = [
    ["red", 200, 40, 40],
    ["green", 40, 160, 60],
    ["blue", 40, 60, 200],
    ["yellow", 230, 210, 50],
    ["white", 240, 240, 240],
    ["black", 15, 15, 15],
    ["grey", 128, 128, 128],
  ];
  const distance = ([, nr, ng, nb]: [string, number, number, number]) =>
    (r - nr) ** 2 + (g - ng) ** 2 + (b - nb) ** 2;
  return named.reduce((best, each) => (distance(each) < distance(best) ? each : best))[0];
}

/** The `text.format` asked for: plain text, or a named strict JSON schema. */
function formatOf(
  body: Record<string, unknown>,
): { type: "text" } | { type: "json_schema"; name: string; schema: Record<string, unknown> } {
  const text = body.text as { format?: Record<string, unknown> } | undefined;
  const format = text?.format;
  if (format === undefined || format.type === "text") return { type: "text" };
  if (format.type !== "json_schema")
    throw invalidRequest(`Invalid value: '${String(format.type)}'.`, "text.format.type", "invalid_value");
  if (typeof format.name !== "string" || format.name === "") throw missingParameter("text.format.name");
  if (typeof format.schema !== "object" || format.schema === null)
    throw missingParameter("text.format.schema");
  return { type: "json_schema", name: format.name, schema: format.schema as Record<string, unknown> };
}

function answer(seen: Seen, format: ReturnType<typeof formatOf>): string {
  const subject = seen.texts.slice(1).join(" ").trim() || seen.texts.join(" ").trim();
  if (format.type === "json_schema") {
    const prompts = (format.schema.properties as Record<string, { minItems?: number }> | undefined)?.prompts;
    const count = prompts?.minItems ?? 3;
    const image = seen.images[0];
    const what = image ? `a ${image.colour} picture, ${image.width}x${image.height}` : "a picture";
    const styles = [
      "as a photograph",
      "as a watercolour",
      "as a flat vector illustration",
      "as an oil painting",
    ];
    return JSON.stringify({
      prompts: Array.from(
        { length: count },
        (_, i) => `Prompt ${i + 1}: ${what}, ${styles[i % styles.length]}`,
      ),
    });
  }
  return `${subject}, in rich detail: soft golden light, textured surfaces, a balanced composition`;
}

/** `POST /responses` for text only: validated as the API validates it, answered at once (no background). */
export async function handleTextTask(ctx: RouteContext): Promise<void> {
  const body = jsonBody(ctx);
  for (const key of Object.keys(body)) if (!KNOWN.has(key)) throw unknownParameter(key);
  if (typeof body.model !== "string" || body.model === "") throw missingParameter("model");
  if (body.input === undefined || body.input === null) throw missingParameter("input");
  if (body.stream === true || body.background === true) {
    throw invalidRequest(
      "The fake answers text-only requests neither streamed nor in the background.",
      "stream",
    );
  }
  const cap = body.max_output_tokens;
  if (cap !== undefined && cap !== null) {
    if (typeof cap !== "number" || !Number.isInteger(cap))
      throw invalidType("max_output_tokens", "an integer", cap);
    if (cap < MIN_OUTPUT_TOKENS) {
      throw invalidRequest(
        `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_OUTPUT_TOKENS}, but got ${cap} instead.`,
        "max_output_tokens",
        "integer_below_min_value",
      );
    }
  }
  const format = formatOf(body);
  const seen = await readTextInput(body.input);
  const instructions = String(body.instructions);
  const text = answer({ ...seen, texts: [instructions, ...seen.texts] }, format);
  const inputTokens = textTokens([instructions, ...seen.texts].join(" ")) + seen.images.length * IMAGE_TOKENS;
  const written = textTokens(text);
  // A cap below what the answer needs ends it `incomplete`, with no message, as the API does.
  const incomplete = typeof cap === "number" && written + REASONING_TOKENS > cap;
  const outputTokens = incomplete ? Number(cap) : written + REASONING_TOKENS;
  const message = {
    id: newId("msg"),
    type: "message",
    status: "completed",
    role: "assistant",
    content: [outputText(text)],
  };
  await sendJson(ctx.x, 200, {
    id: newId("resp"),
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: incomplete ? "incomplete" : "completed",
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    instructions,
    max_output_tokens: cap ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    output: incomplete ? [{ id: newId("rs"), type: "reasoning", summary: [] }] : [message],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: body.safety_identifier ?? null,
    store: body.store !== false,
    temperature: 1,
    text: {
      format: format.type === "text" ? { type: "text" } : { ...(body.text as { format: object }).format },
    },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: REASONING_TOKENS },
      total_tokens: inputTokens + outputTokens,
    },
  });
}
