import { BOT_WAIT_MS, type TryOutEvent, type TryOutPoll, TryOutRefusal, within } from "../try-out.js";
import { SlackDriver } from "./driver.js";
import type { FakeMessage, FakeSlack } from "./server.js";

/** Where the try-out's `/imagine` is typed, and by whom (the driver's defaults). */
const CHANNEL = "C0FAKECHAN1";
const USER = "U0FAKEUSER1";

type Version = FakeMessage["history"][number];
/** The envelope's fate: the body the app acked with (its private answer, if any), or why it never arrived. */
interface Sent {
  ack?: string;
  error?: string;
}
interface Block {
  type?: string;
  text?: { text?: string };
  elements?: { text?: string | { text?: string }; action_id?: string; value?: string }[];
  slack_file?: { id?: string };
}

/** A version of the status message as the person sees it, on one line: its text, files and buttons. */
function describe(version: Version): string {
  const blocks = (version.blocks ?? []) as Block[];
  if (blocks.length === 0) return version.text.replaceAll("\n", " · ");
  return blocks
    .map((block) => {
      if (block.type === "image") return `[image ${block.slack_file?.id ?? ""}]`;
      const texts = (block.elements ?? []).map((e) => (typeof e.text === "object" ? e.text.text : e.text));
      if (block.type === "actions") return `[buttons: ${texts.join(", ")}]`;
      return block.text?.text ?? texts.join(" ");
    })
    .join(" · ")
    .replaceAll("\n", " · ");
}

const warningOf = (text: string | undefined) =>
  text?.split("\n").find((line) => line.startsWith(":warning:"));

function buttons(message: Partial<Pick<FakeMessage, "blocks">>): string[] {
  return ((message.blocks ?? []) as Block[])
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .map((element) => `${element.action_id}=${element.value}`);
}

/**
 * Follows the command: what the app acked, the status message it posted in the channel and edited to the
 * result, the finals it shared in that message's thread, and any private answer (`:warning:`).
 */
function followStatus(fake: FakeSlack, sent: Sent, from: number): TryOutPoll {
  let shown = 0;
  const answers = { responses: fake.responses.length, ephemerals: fake.ephemerals.length };
  return () => {
    if (sent.error) return [{ failed: sent.error }];
    const ackText = sent.ack ? (JSON.parse(sent.ack) as { text?: string }).text : undefined;
    if (ackText !== undefined) {
      const warning = warningOf(ackText);
      return warning ? [{ failed: warning }] : [{ stage: ackText }, { done: { images: [], buttons: [] } }];
    }
    const status = fake.messages
      .slice(from)
      .find(
        (message) => message.channel === CHANNEL && message.bot_id && !message.thread_ts && !message.files,
      );
    const versions = status?.history.slice(shown) ?? [];
    shown += versions.length;
    const events: TryOutEvent[] = versions
      .filter((version) => warningOf(version.text) === undefined)
      .map((version) => ({ stage: describe(version) }));
    const privately = [
      ...fake.responses.slice(answers.responses),
      ...fake.ephemerals.slice(answers.ephemerals),
    ];
    const warning = [status?.text, ...privately.map((answer) => answer.text as string | undefined)]
      .map(warningOf)
      .find((line) => line !== undefined);
    if (warning) return [...events, { failed: warning }];
    // A word of `/imagine` (`usage`, `help`, `settings`…) is answered only privately, through the response_url:
    // that answer is the whole reply.
    const answer = privately[0] as Partial<Pick<FakeMessage, "text" | "blocks">> | undefined;
    if (status === undefined && answer !== undefined)
      return [{ stage: answer.text ?? "" }, { done: { images: [], buttons: buttons(answer) } }];
    // The result's buttons, not the Cancel under a status still in progress.
    if (status && buttons(status).some((button) => !button.startsWith("imagine_cancel="))) {
      const images = fake.messages
        .filter((message) => message.channel === CHANNEL && message.thread_ts === status.ts)
        .flatMap((message) => message.files ?? [])
        .map((file) => ({ name: file.name, url: file.url_private }));
      return [...events, { done: { images, buttons: buttons(status) } }];
    }
    return events;
  };
}

/**
 * `POST /_fake/imagine` on the fake Slack: `{text}` is typed as `/imagine <text>` in #general and sent as a
 * `slash_commands` envelope over Socket Mode to the connected app; the route then follows the answer.
 */
export async function imagineOnSlack(fake: FakeSlack, body: Record<string, unknown>): Promise<TryOutPoll> {
  const { text } = body as { text?: unknown };
  if (typeof text !== "string" || text.trim() === "") throw new TryOutRefusal(400, "text is required");
  if (!(await within(fake.socket.connected(), BOT_WAIT_MS))) {
    throw new TryOutRefusal(
      409,
      "No app is connected to the fake Slack over Socket Mode. Start the bot with the SLACK_API_URL, " +
        "SLACK_BOT_TOKEN and SLACK_APP_TOKEN the fake printed (docs/try-it-offline.md), then try again.",
    );
  }
  const sent: Sent = {};
  const poll = followStatus(fake, sent, fake.messages.length);
  // Not awaited: the app acks over the socket, and the poll reads the ack's body once it came.
  new SlackDriver({ socket: fake.socket, responseUrl: fake.responseUrl })
    .slashCommand({ text, channel: CHANNEL, user: USER })
    .then(
      (reply) => {
        sent.ack = reply.body;
      },
      (error: unknown) => {
        sent.error = `The command did not reach the app: ${String(error)}`;
      },
    );
  return poll;
}
