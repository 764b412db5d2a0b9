import type { FakeOpenAI } from "../fakes/openai/server.js";
import { WAIT_TIMEOUT_MS, waitFor } from "./wait-for.js";

/**
 * Paces the fake OpenAI's stream by what the person sees: each partial after the first, and the final, is
 * sent only once the platform shows every partial sent before it. Edits are coalesced (the newest frame
 * wins), so without this a fast stream may rightly skip a frame; with it, "2 partials shown" is decided by
 * events, not by how long a delay happened to be on a loaded machine.
 */
export function showEachPartial(
  openai: FakeOpenAI,
  framesShown: () => number,
  timeoutMs = 2 * WAIT_TIMEOUT_MS,
): void {
  let sent = 0;
  openai.pace(async (event) => {
    const partial = event.endsWith("partial_image");
    if (!partial && !event.endsWith("completed")) return;
    await waitFor(`the bot to show partial ${sent} of the stream`, () => framesShown() >= sent, timeoutMs);
    if (partial) sent++;
  });
}

/**
 * Lets the fake OpenAI's streams send their first `partials` partial images, then holds every later event
 * until `release()`. A test that must act between two frames (expire a token, lower a limit) then acts while
 * the stream waits, instead of betting that a latency outlasts the bot's reaction on a loaded machine.
 */
export function holdAfterPartials(openai: FakeOpenAI, partials: number): { release(): void } {
  let sent = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  openai.pace(async (event) => {
    if (sent < partials) {
      if (event.endsWith("partial_image")) sent++;
      return;
    }
    await released;
  });
  return { release };
}
