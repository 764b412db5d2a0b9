import type { StudioConversation } from "../../src/platforms/web/studio-api.js";
import { h } from "./dom.js";

type Turn = StudioConversation["turns"][number];

export interface TreeHooks {
  open(runId: string): void;
  branch(conversation: string, turn: Turn): void;
}

/** A conversation drawn as a tree: each turn under the turn it went on from, branches side by side. */
export function conversationTree(conversation: StudioConversation, hooks: TreeHooks): HTMLElement {
  const children = new Map<string | undefined, Turn[]>();
  const known = new Set(conversation.turns.map((turn) => turn.jobId));
  for (const turn of conversation.turns) {
    // A parent outside the turns kept (expired, forgotten) roots its branch at the top.
    const parent =
      turn.parentJobId !== undefined && known.has(turn.parentJobId) ? turn.parentJobId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), turn]);
  }
  const branch = (parent: string | undefined): HTMLElement | null => {
    const turns = children.get(parent);
    if (!turns) return null;
    return h(
      "ul",
      {},
      ...turns.map((turn) =>
        h(
          "li",
          { "data-job": turn.jobId },
          h(
            "div",
            { class: "turn" },
            h(
              "button",
              { type: "button", class: "turn-open", onclick: () => hooks.open(turn.runId) },
              turn.thumbnail ? h("img", { src: turn.thumbnail, alt: "" }) : null,
              h("span", {}, turn.prompt),
            ),
            h(
              "button",
              { type: "button", class: "ghost", onclick: () => hooks.branch(conversation.id, turn) },
              "Branch from here",
            ),
          ),
          branch(turn.jobId),
        ),
      ),
    );
  };
  return h(
    "div",
    { class: "tree", "data-conversation": conversation.id },
    h("h3", {}, "Conversation"),
    branch(undefined),
  );
}
