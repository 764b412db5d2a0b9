import type { StudioAction, StudioRun } from "../../src/platforms/web/studio-api.js";
import { h } from "./dom.js";

/** What a card's buttons do: wired by the board, which knows the API and the composer. */
export interface CardHooks {
  press(run: StudioRun, action: StudioAction, card: RunCard): void;
  editImage(run: StudioRun, image: number): void;
  refine(run: StudioRun): void;
  branch(run: StudioRun): void;
  openConversation(id: string): void;
  replay(run: StudioRun, card: RunCard): void;
  /** Cancel, while the run waits or draws: chat's Cancel under a status. */
  cancel(card: RunCard): void;
}

/** One run on the page: its stage ("Queued (2 ahead)", "Drawing…"), its frames as they come, then its finals. */
export class RunCard {
  readonly element: HTMLElement;
  private readonly title = h("h2", { class: "prompt" });
  private readonly status = h("span", { class: "status" });
  private readonly stage = h("div", { class: "stage" });
  private readonly frames = h("ol", { class: "frames", "aria-label": "Partial frames" });
  private readonly words = h("p", { class: "words", hidden: true });
  private readonly footer = h("div", { class: "card-footer" });
  private readonly note = h("p", { class: "note", role: "status" });
  run: StudioRun | undefined;

  constructor(
    readonly runId: string,
    private readonly hooks: CardHooks,
  ) {
    this.element = h(
      "article",
      { class: "card", "data-run": runId, "data-status": "queued" },
      h("header", {}, this.title, this.status),
      this.stage,
      this.frames,
      this.words,
      this.note,
      this.footer,
    );
    this.setStatus("queued", "Queued");
  }

  setPrompt(prompt: string): void {
    this.title.textContent = prompt;
  }

  queued(position: number): void {
    this.setStatus("queued", position > 0 ? `Queued (${position} ahead)` : "Queued (next)");
    this.offerCancel();
  }

  started(): void {
    this.setStatus("running", "Drawing…");
    this.offerCancel();
  }

  /** A replay of a stored run: nothing runs, so nothing to cancel. */
  replaying(): void {
    this.setStatus("running", "Replaying…");
  }

  /** Until the run ends, its footer holds only Cancel (`completed` and `failed` replace it). */
  private offerCancel(): void {
    if (this.footer.querySelector('[data-action="cancel"]')) return;
    this.footer.replaceChildren(
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            class: "danger",
            "data-action": "cancel",
            onclick: () => this.hooks.cancel(this),
          },
          "Cancel",
        ),
      ),
    );
  }

  /** A partial frame: the stage shows the newest, the strip keeps them all side by side. */
  partial(src: string): void {
    // A replay keeps saying so.
    if (this.element.dataset.status !== "running") this.setStatus("running", "Drawing…");
    // Numbered as they came: with several images, each one's partials count from 0 again.
    const shown = this.frames.children.length + 1;
    this.stage.replaceChildren(h("img", { src, alt: `Partial frame ${shown}`, class: "frame" }));
    this.frames.append(h("li", {}, h("img", { src, alt: `Frame ${shown}` }), h("span", {}, `#${shown}`)));
  }

  text(delta: string): void {
    this.words.hidden = false;
    this.words.textContent += delta;
  }

  completed(run: StudioRun): void {
    this.run = run;
    this.setPrompt(run.prompt);
    this.setStatus(run.status, statusWords(run));
    // As when it was cancelled live: a cancelled run is not a failure.
    if (run.error) this.say(run.error, run.status === "cancelled" ? "plain" : "error");
    this.stage.replaceChildren(
      ...run.finals.map((src, index) =>
        h(
          "figure",
          { class: "final" },
          h(
            "a",
            { href: src, target: "_blank", rel: "noopener" },
            h("img", { src, alt: `Final image ${index + 1}` }),
          ),
          h("figcaption", {}, ...this.imageButtons(run, index)),
        ),
      ),
    );
    this.stage.classList.toggle("gallery", run.finals.length > 1);
    if (run.described) this.stage.append(this.describedList(run, run.described));
    if (run.enhancedPrompt)
      this.stage.append(h("p", { class: "enhanced" }, `Enhanced prompt: ${run.enhancedPrompt}`));
    if (run.text) {
      this.words.hidden = false;
      this.words.textContent = run.text;
    }
    this.footer.replaceChildren(
      h("p", { class: "cost" }, run.cost ?? ""),
      h("details", { class: "details" }, h("summary", {}, "Details"), h("pre", {}, run.details)),
      h("div", { class: "actions" }, ...this.runButtons(run)),
    );
  }

  failed(error: string, cancelled = false): void {
    this.footer.replaceChildren();
    // As a reopened run reads: a cancelled run is not a failure.
    if (cancelled) this.setStatus("cancelled", "Cancelled");
    else this.setStatus("failed", "Failed");
    this.say(error, cancelled ? "plain" : "error");
  }

  say(sentence: string, tone: "plain" | "error" = "plain"): void {
    this.note.textContent = sentence;
    this.note.className = `note ${tone}`;
  }

  /** An action asked for a prompt (Vary with words, Enhance…): a small form in the card. */
  askForPrompt(ask: { title: string; label: string; submit: string }, send: (prompt: string) => void): void {
    const input = h("input", {
      type: "text",
      required: true,
      "aria-label": ask.label,
      placeholder: ask.label,
    });
    const form = h(
      "form",
      { class: "ask" },
      h("strong", {}, ask.title),
      input,
      h("button", { type: "submit", class: "primary" }, ask.submit),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.trim() === "") return input.focus();
      form.remove();
      send(input.value.trim());
    });
    this.footer.append(form);
    input.focus();
  }

  /** A press that asks first (Finalize's price): `say` put the question, this is the button that answers yes. */
  confirm(label: string, yes: () => void): void {
    const button = h("button", { type: "button", class: "primary confirm" }, label);
    button.addEventListener("click", () => {
      button.remove();
      yes();
    });
    this.footer.append(button);
  }

  /** The run answers a chat's Edit region link: its progress and result are shown there, not here. */
  postedTo(place: string): void {
    this.setStatus("posted", "Sent to chat");
    this.say(`Its progress and result are posted to ${place}.`);
  }

  /** The run was deleted (its folder is gone): its images and buttons go with it. */
  deleted(): void {
    this.reset();
    this.setStatus("deleted", "Deleted");
  }

  /** Back to an empty card, for a replay. */
  reset(): void {
    this.stage.replaceChildren();
    this.frames.replaceChildren();
    this.footer.replaceChildren();
    this.words.textContent = "";
    this.words.hidden = true;
    this.say("");
  }

  private setStatus(status: string, words: string): void {
    this.element.dataset.status = status;
    this.status.textContent = words;
  }

  /** A Describe's prompts, each with its Use button (the `describe-use` action on that prompt's index). */
  private describedList(run: StudioRun, prompts: string[]): HTMLElement {
    return h(
      "ol",
      { class: "described" },
      ...prompts.map((prompt, index) =>
        h(
          "li",
          {},
          h("p", {}, prompt),
          ...run.actions
            .filter((action) => action.name === "describe-use" && action.image === index)
            .map((action) => this.actionButton(run, { ...action, label: `${action.label} ${index + 1}` })),
        ),
      ),
    );
  }

  private imageButtons(run: StudioRun, index: number): HTMLElement[] {
    const perImage = run.actions.filter((action) => action.image === index);
    return [
      ...perImage.map((action) => this.actionButton(run, action)),
      h(
        "button",
        { type: "button", class: "edit-image", onclick: () => this.hooks.editImage(run, index) },
        "Edit this image",
      ),
    ];
  }

  private runButtons(run: StudioRun): HTMLElement[] {
    const buttons = run.actions
      .filter((action) => action.image === undefined)
      .map((action) => this.actionButton(run, action));
    const conversation = run.conversation;
    if (conversation !== undefined) {
      buttons.push(h("button", { type: "button", onclick: () => this.hooks.refine(run) }, "Refine"));
      if (run.jobId)
        buttons.push(
          h("button", { type: "button", onclick: () => this.hooks.branch(run) }, "Branch from here"),
        );
      buttons.push(
        h(
          "button",
          { type: "button", onclick: () => this.hooks.openConversation(conversation) },
          "Conversation",
        ),
      );
    }
    if (run.finals.length > 0)
      buttons.push(h("button", { type: "button", onclick: () => this.hooks.replay(run, this) }, "Replay"));
    return buttons;
  }

  private actionButton(run: StudioRun, action: StudioAction): HTMLElement {
    return h(
      "button",
      {
        type: "button",
        class: action.tone === "danger" ? "danger" : "",
        "data-action": action.name,
        onclick: () => this.hooks.press(run, action, this),
      },
      action.label,
    );
  }
}

function statusWords(run: StudioRun): string {
  switch (run.status) {
    case "completed":
      return "Done";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
    case "delivery_failed":
      return "Done (not delivered to chat)";
    case "queued":
      return "Queued";
    case "running":
      return "Drawing…";
  }
}
