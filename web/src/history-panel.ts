import type { StudioHistory } from "../../src/platforms/web/studio-api.js";
import { type StudioApi, StudioRefusal } from "./api.js";
import { byId, h } from "./dom.js";

/** The person's past runs, a page at a time from the run store; each reopens on the board. */
export class HistoryPanel {
  private readonly panel = byId("history");
  private readonly toggle = byId<HTMLButtonElement>("history-toggle");
  private readonly list = h("ol", { class: "history-list" });
  private readonly more = h("button", { type: "button", class: "ghost", hidden: true }, "Older runs");
  private next: string | undefined;
  private loaded = false;

  constructor(
    private readonly api: StudioApi,
    private readonly open: (runId: string) => void,
  ) {
    this.panel.append(
      h(
        "header",
        {},
        h("h2", {}, "History"),
        h(
          "button",
          { type: "button", class: "ghost", "aria-label": "Close history", onclick: () => this.show(false) },
          "×",
        ),
      ),
      this.list,
      this.more,
    );
    this.toggle.addEventListener("click", () => this.show(this.panel.hidden));
    this.more.addEventListener("click", () => void this.page());
  }

  /** Shows the panel with the newest runs, or hides it. */
  show(open: boolean): void {
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    if (open && !this.loaded) {
      this.loaded = true;
      void this.page();
    }
  }

  /** A run ended: the history starts again from the newest when next opened. */
  stale(): void {
    this.loaded = false;
    this.next = undefined;
    this.list.replaceChildren();
    if (!this.panel.hidden) this.show(true);
  }

  private async page(): Promise<void> {
    let history: StudioHistory;
    try {
      history = await this.api.history(this.next);
    } catch (error) {
      this.list.append(
        h("li", { class: "note error" }, error instanceof StudioRefusal ? error.message : String(error)),
      );
      return;
    }
    if (history.runs.length === 0 && this.next === undefined)
      this.list.append(h("li", { class: "empty" }, "No runs yet."));
    for (const run of history.runs)
      this.list.append(
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "history-run",
              "data-run": run.runId,
              onclick: () => {
                // The run opens on the board, which the panel would cover (all of it on a phone).
                this.show(false);
                this.open(run.runId);
              },
            },
            run.thumbnail
              ? h("img", { src: run.thumbnail, alt: "", loading: "lazy" })
              : h("span", { class: "no-thumb" }),
            h("span", { class: "history-prompt" }, run.prompt),
            h("time", { datetime: run.createdAt }, new Date(run.createdAt).toLocaleString()),
          ),
        ),
      );
    this.next = history.next;
    this.more.hidden = history.next === undefined;
  }
}
