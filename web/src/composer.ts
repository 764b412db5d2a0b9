import type { StudioMe, StudioRunForm } from "../../src/platforms/web/studio-api.js";
import { type RunFiles, type StudioApi, StudioRefusal } from "./api.js";
import { h } from "./dom.js";
import { InputImages } from "./input-images.js";
import { OptionsPanel } from "./options-panel.js";
import { RegionEditor } from "./region-editor.js";
import type { RunBoard } from "./run-board.js";
import { sentences } from "./sentences.js";

/** Where the next run goes on from: a conversation (and the turn it branches from), an "Edit region" link. */
interface Continuation {
  conversation?: string;
  parent?: string;
  link?: string;
  label: string;
}

/** The request form: prompt, options, input images with their region, and Generate. */
export class Composer {
  readonly element: HTMLElement;
  readonly inputs: InputImages;
  readonly region: RegionEditor;
  private readonly options: OptionsPanel;
  private readonly prompt = h("textarea", {
    id: "prompt",
    rows: 4,
    placeholder: "A lighthouse at dawn, watercolour…",
    "aria-label": "Prompt",
  });
  private readonly error = h("p", { class: "form-error", id: "form-error", role: "alert" });
  private readonly chip = h("div", { class: "continuation", hidden: true });
  private readonly generate = h("button", { type: "submit", class: "primary", id: "generate" }, "Generate");
  private continuation: Continuation | undefined;

  constructor(
    me: StudioMe,
    private readonly api: StudioApi,
    private readonly board: RunBoard,
  ) {
    this.region = new RegionEditor((sentence) => this.refuse(sentence));
    this.inputs = new InputImages(
      me.limits,
      (first) => {
        this.refuse("");
        void this.region.show(first, first?.kind === "file" ? first.file.name : "That image");
      },
      (sentence) => this.refuse(sentence),
    );
    this.options = new OptionsPanel(me, (model) => this.region.allowMarkup(model?.markup ?? false));
    this.region.allowMarkup(this.options.model()?.markup ?? false);
    const form = h(
      "form",
      { class: "composer", novalidate: true },
      h(
        "label",
        { class: "field prompt-field", for: "prompt" },
        h("span", { class: "name" }, "Prompt"),
        this.prompt,
      ),
      this.chip,
      this.inputs.element,
      this.region.element,
      this.options.element,
      this.error,
      h("div", { class: "submit-row" }, this.generate),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.prompt.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) form.requestSubmit();
    });
    this.element = form;
  }

  /** The one sentence near the form ("" clears it). */
  refuse(sentence: string): void {
    this.error.textContent = sentence;
    if (sentence !== "") this.error.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** The next run continues this (a conversation, a branch, an "Edit region" link) until the chip is closed. */
  continueWith(continuation: Continuation | undefined): void {
    this.continuation = continuation;
    this.chip.hidden = continuation === undefined;
    this.chip.replaceChildren();
    if (continuation === undefined) return;
    this.chip.append(
      h("span", {}, continuation.label),
      h(
        "button",
        {
          type: "button",
          class: "ghost",
          "aria-label": "Start afresh",
          onclick: () => this.continueWith(undefined),
        },
        "×",
      ),
    );
    this.prompt.focus();
  }

  private async submit(): Promise<void> {
    this.refuse("");
    const prompt = this.prompt.value.trim();
    if (prompt === "") return this.refuse(sentences.noPrompt);
    const region = await this.region.region();
    if ("refusal" in region) return this.refuse(region.refusal);
    const [first] = this.inputs.all;
    const form: StudioRunForm = { prompt, options: this.options.values() };
    const going = this.continuation;
    if (going?.parent && this.board.unfinished(going.parent)) return this.refuse(sentences.turnUnfinished);
    // A link names its image itself (a run the person may not own); `from` is for their own runs.
    if (first?.kind === "run" && !going?.link) form.from = { runId: first.runId, image: first.image };
    if (going?.conversation) form.conversation = going.conversation;
    if (going?.parent) form.parent = going.parent;
    if (going?.link) form.link = going.link;
    const files: RunFiles = {
      images: this.inputs.all.flatMap((item) => (item.kind === "file" ? [item.file] : [])),
    };
    if (region.mask) files.mask = region.mask;
    if (region.markup) files.markup = region.markup;
    this.generate.disabled = true;
    try {
      const accepted = await this.api.submit(form, files);
      const card = this.board.card(accepted.runId, prompt);
      if (accepted.postedTo) card.postedTo(accepted.postedTo);
      // A link is answered once; a conversation goes on until the person closes it, and a branch goes on from
      // the turn just made, not from where it forked (which would make every next turn a sibling).
      if (going?.link) this.continueWith(undefined);
      else if (going?.parent && going.conversation)
        this.continueWith({
          conversation: going.conversation,
          parent: accepted.runId,
          label: `Continuing the branch from “${prompt}”`,
        });
    } catch (error) {
      this.refuse(error instanceof StudioRefusal ? error.message : String(error));
    } finally {
      this.generate.disabled = false;
    }
  }
}
