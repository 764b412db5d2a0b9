import type { FakeOpenAI, WrittenEvent } from "../test/fakes/openai/server.js";

/** A partial image (its index) or the final image. */
export type Frame = number | "final";

/** A frame on the platform's side: the edit that carries it arrived at the fake at `at` (test/fakes/clock.ts). */
export interface ShownFrame {
  frame: Frame;
  at: number;
  /** Bytes of the image the edit uploads, when it uploads one (Discord). */
  bytes?: number;
}

/** One frame's trip: the fake OpenAI began to write it, the fake platform received the edit showing it. */
export interface FrameTrip {
  frame: Frame;
  ms: number;
  /** The image as OpenAI sent it, and as the bot uploaded it (when known). */
  writtenBytes: number;
  shownBytes?: number;
}

function frameOf(event: WrittenEvent): Frame | undefined {
  if (event.type.endsWith("partial_image")) return event.partialIndex;
  return event.type.endsWith(".completed") ? "final" : undefined;
}

/** The events the fake OpenAI wrote for the (one) image request with this prompt. */
export function writtenFor(openai: FakeOpenAI, prompt: string): WrittenEvent[] {
  const request = openai.requests.find(
    (candidate) => candidate.method === "POST" && (candidate.json as { prompt?: unknown })?.prompt === prompt,
  );
  if (request === undefined) throw new Error(`the fake OpenAI got no request for "${prompt}"`);
  return request.events;
}

/**
 * Pairs each frame OpenAI wrote with the first edit that showed it. A frame the bot never showed (coalesced
 * away: a newer one arrived while an edit was in flight) has no trip.
 */
export function frameTrips(written: readonly WrittenEvent[], shown: readonly ShownFrame[]): FrameTrip[] {
  const trips: FrameTrip[] = [];
  for (const event of written) {
    const frame = frameOf(event);
    if (frame === undefined) continue;
    const edit = shown.find((candidate) => candidate.frame === frame && candidate.at >= event.writtenAt);
    if (edit === undefined) continue;
    trips.push({
      frame,
      ms: edit.at - event.writtenAt,
      writtenBytes: event.imageBytes ?? 0,
      ...(edit.bytes === undefined ? {} : { shownBytes: edit.bytes }),
    });
  }
  return trips;
}
