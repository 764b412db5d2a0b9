import type { StudioApi } from "./api.js";
import { conversationTree, type TreeHooks } from "./conversation-tree.js";
import { byId, h } from "./dom.js";

/** The conversation being looked at, above the runs: its tree of turns, reloaded when asked. */
export class ConversationPanel {
  private readonly panel = byId("conversation");

  constructor(
    private readonly api: StudioApi,
    private readonly hooks: TreeHooks,
  ) {}

  async show(id: string): Promise<void> {
    const conversation = await this.api.conversation(id);
    this.panel.hidden = false;
    const close = h(
      "button",
      { type: "button", class: "ghost close", "aria-label": "Close the conversation" },
      "×",
    );
    close.addEventListener("click", () => {
      this.panel.hidden = true;
    });
    this.panel.replaceChildren(conversationTree(conversation, this.hooks), close);
  }
}
