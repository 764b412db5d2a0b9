import { type Action, defineAction } from "../../src/actions/action.js";

/** An action as the layouts see it: a name, a label, a tone and whether it acts on one image. */
function testAction(name: string, label: string, perImage: boolean, tone: Action["tone"] = "plain"): Action {
  return defineAction({
    name,
    label,
    tone,
    offer: { platforms: ["discord", "slack"], under: "result" },
    pressers: { kind: "anyone-here" },
    accessListed: true,
    origin: "run",
    perImage,
    run: () => Promise.reject(new Error("a layout test presses nothing")),
  });
}

/** The four per-image actions this issue ends with (Vary, Finalize, Edit, Use as reference). */
export const FOUR_PER_IMAGE: readonly Action[] = [
  testAction("vary", "Vary", true),
  testAction("finalize", "Finalize", true),
  testAction("edit", "Edit", true),
  testAction("reference", "Use as reference", true),
];

/** Five whole-result actions (Re-roll, Refine, Details, Delete, one more). */
export const FIVE_WHOLE: readonly Action[] = [
  testAction("reroll", "Re-roll", false),
  testAction("refine", "Refine in thread", false),
  testAction("details", "Details", false),
  testAction("show", "Show", false),
  testAction("delete", "Delete", false, "danger"),
];
