import type { RawPicture } from "./pictures.js";
import { encodePartial } from "./pictures.js";
import {
  finalOutput,
  imageCallItem,
  messageItem,
  outputText,
  responseObject,
  type Turn,
} from "./responses-build.js";
import { citationsOf, streamSearch } from "./responses-search.js";

/** Writes one event of a turn; the writer numbers it (`sequence_number`) and sends or records it. */
export type EmitEvent = (type: string, fields: object) => Promise<void>;

export interface RenderedTurn {
  /** Raster source for partials; absent for gif/svg, which never stream partials. */
  raw?: RawPicture;
  final: Buffer;
}

/**
 * The Responses API event sequence for one image turn, in the order the SDK's `ResponseStream`
 * accumulator expects (every item added before its deltas, done before `response.completed`). A
 * background response is created `queued`, then says `response.queued` before it starts.
 */
export async function streamTurn(
  emit: EmitEvent,
  t: Turn,
  render: () => Promise<RenderedTurn>,
  onCompleted: (body: Record<string, unknown>, image: Buffer | undefined) => void,
): Promise<void> {
  const started = responseObject(t, "in_progress", []);
  if (t.body.background === true) {
    const queued = responseObject(t, "queued", []);
    await emit("response.created", { response: queued });
    await emit("response.queued", { response: queued });
  } else {
    await emit("response.created", { response: started });
  }
  await emit("response.in_progress", { response: started });

  let index = await streamSearch(emit, t.search);
  let image: Buffer | undefined;
  if (t.image) {
    const item_id = t.image.callId;
    const output_index = index;
    await emit("response.output_item.added", { output_index, item: imageCallItem(t, "in_progress", null) });
    await emit("response.image_generation_call.in_progress", { output_index, item_id });
    await emit("response.image_generation_call.generating", { output_index, item_id });
    const rendered = await render();
    const { opts } = t.image;
    if (rendered.raw && opts.format !== "gif" && opts.format !== "svg") {
      for (let i = 0; i < opts.partialImages; i++) {
        const partial = await encodePartial(rendered.raw, i, opts.partialImages, opts.format);
        await emit("response.image_generation_call.partial_image", {
          output_index,
          item_id,
          partial_image_index: i,
          partial_image_b64: partial.toString("base64"),
          background: opts.background,
          output_format: opts.format,
          quality: opts.quality,
          size: opts.size,
        });
      }
    }
    image = rendered.final;
    await emit("response.image_generation_call.completed", { output_index, item_id });
    await emit("response.output_item.done", {
      output_index,
      item: imageCallItem(t, "completed", image.toString("base64")),
    });
    index += 1;
  }

  const item_id = t.messageId;
  const where = { item_id, output_index: index, content_index: 0 };
  await emit("response.output_item.added", { output_index: index, item: messageItem(t, "in_progress") });
  await emit("response.content_part.added", { ...where, part: outputText("") });
  for (const delta of t.text.match(/\S+\s*/g) ?? []) {
    await emit("response.output_text.delta", { ...where, delta, logprobs: [] });
  }
  const annotations = citationsOf(t.search, t.text);
  for (const [annotation_index, annotation] of annotations.entries()) {
    await emit("response.output_text.annotation.added", { ...where, annotation_index, annotation });
  }
  await emit("response.output_text.done", { ...where, text: t.text, logprobs: [] });
  await emit("response.content_part.done", { ...where, part: outputText(t.text, annotations) });
  await emit("response.output_item.done", { output_index: index, item: messageItem(t, "completed") });

  // Stored before the last event: a client that chains right after `response.completed` finds it.
  const body = responseObject(t, "completed", finalOutput(t, image?.toString("base64")));
  onCompleted(body, image);
  await emit("response.completed", { response: body });
}
