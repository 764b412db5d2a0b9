import type {
  StudioAction,
  StudioEvent,
  StudioPress,
  StudioPressAnswer,
  StudioRun,
} from "../../src/platforms/web/studio-api.js";
import { type StudioApi, StudioRefusal } from "./api.js";
import { byId } from "./dom.js";
import { replay } from "./replay.js";
import { type CardHooks, RunCard } from "./run-card.js";
import { sentences } from "./sentences.js";

/** What the board asks of the rest of the page: the composer's continuations and the conversation panel. */
export interface BoardHooks {
  editImage(run: StudioRun, image: number): void;
  refine(run: StudioRun): void;
  branch(run: StudioRun): void;
  openConversation(id: string): void;
  /** A run ended (the history has a new entry). */
  ended(): void;
}

/** How many of the newest runs a reload puts back on the board. */
const RESTORED_RUNS = 6;

/** The runs shown on the page, newest first, each updated by its server-sent events. */
export class RunBoard {
  private readonly cards = new Map<string, RunCard>();
  private readonly results = byId("results");
  private replaying: AbortController | undefined;

  constructor(
    private readonly api: StudioApi,
    private readonly hooks: BoardHooks,
  ) {}

  /** Listens to `GET /studio/api/events`; EventSource reconnects by itself after a drop. */
  listen(): EventSource {
    const events = new EventSource("/studio/api/events");
    events.addEventListener("message", (message) => this.dispatch(JSON.parse(message.data) as StudioEvent));
    events.addEventListener("error", () => {
      if (events.readyState !== EventSource.OPEN) this.live(sentences.lostConnection);
    });
    events.addEventListener("open", () => this.live(""));
    return events;
  }

  /** The connection's state beside the page's title: nothing while events flow. */
  private live(sentence: string): void {
    const status = byId("live");
    status.textContent = sentence;
    status.hidden = sentence === "";
  }

  /** The run's card, made on top (a new run) or, for a restored older one, below those already shown. */
  card(runId: string, prompt?: string, at: "top" | "bottom" = "top"): RunCard {
    let card = this.cards.get(runId);
    if (card === undefined) {
      card = new RunCard(runId, this.cardHooks());
      this.cards.set(runId, card);
      byId("empty").hidden = true;
      if (at === "top") this.results.prepend(card.element);
      else this.results.append(card.element);
    }
    if (prompt !== undefined) card.setPrompt(prompt);
    return card;
  }

  /** The run is on the page and still waits or draws (a turn that cannot be gone on from yet). */
  unfinished(runId: string): boolean {
    const status = this.cards.get(runId)?.element.dataset.status;
    return status === "queued" || status === "running";
  }

  /**
   * After a load or reload: the person's newest runs back on the board as they ended, below any run started
   * meanwhile; the rest stay a click away in History. A run live events already showed is left as it is.
   */
  async restore(count = RESTORED_RUNS): Promise<void> {
    const { runs } = await this.api.history();
    for (const { runId } of runs.slice(0, count)) {
      if (!this.cards.has(runId)) await this.open(runId, { restoring: true });
    }
  }

  /** Opens a stored run (history, a conversation's turn): its card as it ended, scrolled to. */
  async open(runId: string, { restoring = false } = {}): Promise<RunCard> {
    const run = await this.api.run(runId);
    const card = this.card(runId, run.prompt, restoring ? "bottom" : "top");
    if (
      run.status === "completed" ||
      run.status === "failed" ||
      run.status === "cancelled" ||
      run.status === "delivery_failed"
    )
      card.completed(run);
    if (!restoring) card.element.scrollIntoView({ behavior: "smooth", block: "start" });
    return card;
  }

  private dispatch(event: StudioEvent): void {
    const card = this.card(event.runId);
    if (event.type === "queued") card.queued(event.position);
    else if (event.type === "started") card.started();
    else if (event.type === "partial") card.partial(event.preview);
    else if (event.type === "text") card.text(event.delta);
    else if (event.type === "completed") card.completed(event.run);
    else card.failed(event.error, event.cancelled === true);
    if (event.type === "completed" || event.type === "failed") this.hooks.ended();
  }

  private cardHooks(): CardHooks {
    return {
      press: (run, action, card) => void this.press(run, action, card),
      editImage: (run, image) => this.hooks.editImage(run, image),
      refine: (run) => this.hooks.refine(run),
      branch: (run) => this.hooks.branch(run),
      openConversation: (id) => this.hooks.openConversation(id),
      replay: (run, card) => {
        this.replaying?.abort();
        this.replaying = new AbortController();
        void replay(card, run, this.replaying.signal);
      },
      cancel: (card) => void this.send({ runId: card.runId, action: "cancel" }, "Cancel", card),
    };
  }

  private press(run: StudioRun, action: StudioAction, card: RunCard): Promise<void> {
    const press: StudioPress = {
      runId: run.runId,
      action: action.name,
      ...(action.image === undefined ? {} : { image: action.image }),
    };
    return this.send(press, `${action.label}: ${run.prompt}`, card);
  }

  /** Sends a press and shows what it did: a new run's card, a sentence, a prompt to ask for, a question. */
  private async send(press: StudioPress, title: string, card: RunCard): Promise<void> {
    let answer: StudioPressAnswer;
    try {
      answer = await this.api.press(press);
    } catch (error) {
      return card.say(error instanceof StudioRefusal ? error.message : String(error), "error");
    }
    // Delete removed the run folder: the card keeps only what was said about it.
    if (press.action === "delete" && !answer.confirm) card.deleted();
    if (answer.say) card.say(answer.say);
    if (answer.askForPrompt)
      card.askForPrompt(answer.askForPrompt, (prompt) => void this.send({ ...press, prompt }, title, card));
    const confirm = answer.confirm;
    if (confirm) card.confirm(confirm.label, () => void this.send(confirm.press, title, card));
    if (answer.runId) this.card(answer.runId, title);
  }
}
