import { styleSummary } from "../core/thread-style.js";
import { pinStyle, unpinStyle } from "../style/pin-style.js";
import { defineAction, type PressPort, type StylePlace } from "./action.js";
import { chosenImage } from "./chosen-image.js";
import { metadataOf } from "./follow-ups.js";
import { unknownButton } from "./press-id.js";

function stylePlaceOf(port: PressPort): StylePlace {
  if (port.style === undefined) throw unknownButton();
  return port.style;
}

/**
 * Pin style: pins the chosen image as a style reference of the result's thread (Discord opens one on a result
 * outside a thread, as Refine does), so every later turn there sends it; the thread's first message says what
 * is pinned. Free: nothing is asked of OpenAI. The answer carries Unpin style.
 */
export const pinStyleAction = defineAction({
  name: "pin-style",
  label: "Pin style",
  tone: "plain",
  offer: { platforms: ["discord", "slack"], under: "result", needsStoredFinal: true, inOrOnThread: true },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps }) {
    const place = stylePlaceOf(port);
    const chosen = await chosenImage(deps.runs, press);
    const address = await place.thread(chosen.metadata, true);
    const name = `image ${chosen.index + 1}`;
    const style = await pinStyle(deps, address, {
      images: [{ name, read: async () => ({ name, bytes: await deps.runs.blobs.get(chosen.key) }) }],
    });
    await place.showPinned(address, style);
    await port.confirmPrivately(
      `Pinned ${name} as a style of ${place.name(address)}: every later turn there uses it (${styleSummary(style)}).`,
      { label: unpinStyleAction.label, press: { action: unpinStyleAction.name, runId: press.runId } },
    );
  },
});

/** Unpin style, on the answer to a pin: the result's thread goes back to no style, its copied images removed. */
export const unpinStyleAction = defineAction({
  name: "unpin-style",
  label: "Unpin style",
  tone: "plain",
  offer: { platforms: ["discord", "slack"], under: "confirmation" },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  async run({ press, port, deps }) {
    const place = stylePlaceOf(port);
    const address = await place.thread(await metadataOf(deps.runs, press.runId), false);
    const cleared = await unpinStyle(deps, address);
    if (cleared !== undefined) await place.showPinned(address, undefined);
    await port.answerPrivately(
      cleared === undefined
        ? `Nothing is pinned in ${place.name(address)}.`
        : `Unpinned the style of ${place.name(address)}: later turns there use none.`,
    );
  },
});
