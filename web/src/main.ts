import "./styles.css";
import type { StudioMe, StudioRun } from "../../src/platforms/web/studio-api.js";
import { StudioApi, StudioRefusal } from "./api.js";
import { Composer } from "./composer.js";
import { ConversationPanel } from "./conversation-panel.js";
import { byId } from "./dom.js";
import { HistoryPanel } from "./history-panel.js";
import { RunBoard } from "./run-board.js";

/** Boots the studio: who is signed in, the form, the runs' live events, history and conversations. */
async function start(): Promise<void> {
  let me: StudioMe;
  try {
    me = await StudioApi.me();
  } catch (error) {
    // Signed out (or the session ended with a restart): the server's sign-in page says how to come back.
    if (error instanceof StudioRefusal) return location.assign("/studio/sign-in");
    throw error;
  }
  const api = new StudioApi(me.csrf);
  byId("who").textContent = me.user.name;
  byId("sign-out").addEventListener("click", () => {
    void api.signOut().then(() => location.assign("/studio/sign-in"));
  });
  const page = wire(me, api);
  page.board.listen();
  // A reload keeps what the person was looking at; a failure here only leaves the board as History finds it.
  void page.board.restore().catch(() => undefined);
  if (me.editRegion) {
    const edit = me.editRegion;
    page.composer.inputs.useRunImage(edit.runId, edit.image, edit.imageUrl);
    page.composer.region.setMode("paint");
    page.composer.continueWith({
      link: edit.link,
      label: `Paint the region to change; the result is posted to ${edit.returnsTo}.`,
    });
  }
}

/** The page's parts and how they call each other. */
function wire(me: StudioMe, api: StudioApi) {
  const branchFrom = (conversation: string, parent: string | undefined, prompt: string) =>
    composer.continueWith({
      conversation,
      ...(parent ? { parent } : {}),
      label: `Branching from “${prompt}”`,
    });
  const board: RunBoard = new RunBoard(api, {
    editImage: (run, image) => {
      const url = run.finals[image];
      if (url) composer.inputs.useRunImage(run.runId, image, url);
      composer.element.scrollIntoView({ behavior: "smooth" });
    },
    refine: (run) => {
      if (run.conversation)
        composer.continueWith({
          conversation: run.conversation,
          label: "Refining: your prompt continues the conversation",
        });
    },
    branch: (run: StudioRun) => {
      if (run.conversation) branchFrom(run.conversation, run.jobId, run.prompt);
    },
    openConversation: (id) => void conversations.show(id).catch(shown),
    ended: () => history.stale(),
  });
  const composer = new Composer(me, api, board);
  byId("controls").append(composer.element);
  const open = (runId: string) => void board.open(runId).catch(shown);
  const history = new HistoryPanel(api, open);
  const conversations = new ConversationPanel(api, {
    open,
    branch: (conversation, turn) => branchFrom(conversation, turn.jobId, turn.prompt),
  });
  function shown(error: unknown): void {
    composer.refuse(error instanceof StudioRefusal ? error.message : String(error));
  }
  return { board, composer };
}

void start();
