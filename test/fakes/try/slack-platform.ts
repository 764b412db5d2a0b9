import { slackManifest } from "../../../src/platforms/slack/manifest.js";
import { SlackDriver } from "../slack/driver.js";
import { BOT, type FakeMessage, type FakeSlack } from "../slack/server.js";
import { type CommandLine, messageCommandNamed, words } from "./command-line.js";
import type { Place, Pressable, ShownImage, ShownMessage, ShownVersion, TryPlatform } from "./platform.js";

/** Where the person types, and who they are (the driver's defaults, as the fake's try-out route uses). */
const CHANNEL = "C0FAKECHAN1";
const USER = "U0FAKEUSER1";

interface Element {
  type?: string;
  text?: string | { text?: string };
  action_id?: string;
  value?: string;
  options?: { text?: { text?: string }; value?: string }[];
}
interface Block {
  type?: string;
  text?: { text?: string };
  elements?: Element[];
  accessory?: Element;
  fields?: { text?: string }[];
  slack_file?: { id?: string };
  title?: { text?: string };
  alt_text?: string;
}
/** A modal the app opened (`views.open`). */
interface View {
  title?: { text?: string };
  blocks?: { type?: string; block_id?: string; element?: { action_id?: string } }[];
}
/** A private answer: the command's ack, a `response_url` post, or an ephemeral message. */
interface Private {
  id: string;
  text?: string;
  blocks?: unknown[];
}

const textOf = (element: Element): string =>
  (typeof element.text === "object" ? element.text.text : element.text) ?? "";

/** A message's blocks as lines of text; the buttons are listed apart. */
function blockText(blocks: Block[], fileName: (id: string) => string): string {
  return blocks
    .flatMap((block) => {
      if (block.type === "image") return [`[image ${fileName(block.slack_file?.id ?? "")}]`];
      if (block.type === "actions") return [];
      const texts = [block.text?.text ?? "", ...(block.fields ?? []).map((field) => field.text ?? "")];
      if (block.type === "context") texts.push((block.elements ?? []).map(textOf).join(" "));
      return texts.filter((text) => text !== "");
    })
    .join("\n");
}

/** Each button, and each option of an overflow menu, of a message's blocks. */
function elements(blocks: Block[]): { label: string; actionId: string; value: string }[] {
  return blocks
    .flatMap((block) => [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])])
    .flatMap((element) => {
      if (element.type === "button")
        return [{ label: textOf(element), actionId: element.action_id ?? "", value: element.value ?? "" }];
      return (element.options ?? []).map((option) => ({
        label: option.text?.text ?? option.value ?? "",
        actionId: element.action_id ?? "",
        value: option.value ?? "",
      }));
    });
}

/** Slack's `<@U…>` as the client draws it. */
const drawMentions = (text: string) =>
  text.replaceAll(`<@${BOT.user_id}>`, "@imagine").replaceAll(`<@${USER}>`, "@you");

/** `name:value` words of a console line as Slack's flags (`--name value`), the rest as typed. */
function flagText(line: CommandLine): string {
  const names = new Set(line.command.options.map((option) => option.name));
  return words(line.rest)
    .map((word) => {
      const [, name = "", value = ""] = /^([a-z0-9-]+):(.*)$/s.exec(word) ?? [];
      if (!names.has(name)) return /\s/.test(word) ? `"${word}"` : word;
      return `--${name} ${/\s/.test(value) ? `"${value}"` : value}`;
    })
    .join(" ");
}

/** The fake Slack as the console's person sees and uses it, over Socket Mode. */
export function slackPlatform(fake: FakeSlack): Omit<TryPlatform, "ready"> {
  const driver = new SlackDriver({ socket: fake.socket, responseUrl: fake.responseUrl });
  const acks: Private[] = [];
  const answeredViews = new Set<unknown>();
  const home: Place = { id: CHANNEL, name: "#general" };
  const fileName = (id: string) => fake.file(id)?.name ?? id;
  const imagesOf = (ids: string[]): ShownImage[] =>
    ids.flatMap((id) => {
      const file = fake.file(id);
      if (file?.bytes === undefined || !file.mimetype.startsWith("image/")) return [];
      const bytes = file.bytes;
      return [{ id, name: file.name, bytes: async () => bytes }];
    });
  /** `shared`: the files a message carries (a final shared in the thread), besides those its blocks draw. */
  const version = (text: string, blocks: Block[] = [], shared: string[] = []): ShownVersion => {
    const shown = blocks.length > 0 ? blockText(blocks, fileName) : text;
    const drawn = blocks.flatMap((block) =>
      block.type === "image" ? [fileName(block.slack_file?.id ?? "")] : [],
    );
    return {
      text: drawMentions(shown),
      buttons: elements(blocks).map((element) => element.label),
      files: [...drawn, ...shared],
    };
  };
  const pressables = (blocks: Block[], message?: FakeMessage): Pressable[] =>
    elements(blocks).map((element) => ({
      label: element.label,
      press: async () => {
        await driver.clickButton({
          user: USER,
          channel: message?.channel ?? CHANNEL,
          messageTs: message?.ts ?? "0",
          ...(message?.thread_ts ? { threadTs: message.thread_ts } : {}),
          actionId: element.actionId,
          value: element.value,
          ...(message ? {} : { ephemeral: true }),
        });
      },
    }));
  const threadName = (ts: string) => {
    const root = fake.message(CHANNEL, ts);
    const first = root ? version(root.text, root.blocks as Block[]).text.split("\n")[0] : ts;
    return `the thread of “${(first ?? ts).slice(0, 40)}”`;
  };
  const shownPrivate = (answer: Private): ShownMessage => {
    const blocks = (answer.blocks ?? []) as Block[];
    return {
      id: answer.id,
      byBot: true,
      author: "imagine",
      where: "#general",
      onlyYou: true,
      deleted: false,
      versions: [version(answer.text ?? "", blocks)],
      images: [],
      pressables: pressables(blocks),
    };
  };

  return {
    name: "Slack",
    home,
    messages: () => [
      ...fake.messages.map((message): ShownMessage => {
        const blocks = (message.blocks ?? []) as Block[];
        const imageIds = [
          ...(message.files ?? []).map((file) => file.id),
          ...blocks.flatMap((block) => (block.type === "image" ? [block.slack_file?.id ?? ""] : [])),
        ];
        return {
          id: `${message.channel}/${message.ts}`,
          byBot: message.bot_id !== undefined,
          author: message.bot_id ? "imagine" : "you",
          where:
            message.thread_ts && message.thread_ts !== message.ts
              ? threadName(message.thread_ts)
              : "#general",
          onlyYou: false,
          deleted: message.deleted === true,
          versions:
            message.history.length > 0
              ? message.history.map((v) => version(v.text, (v.blocks ?? []) as Block[]))
              : [
                  version(
                    message.text,
                    blocks,
                    (message.files ?? []).map((file) => file.name),
                  ),
                ],
          images: imagesOf([...new Set(imageIds)]),
          pressables: message.deleted ? [] : pressables(blocks, message),
        };
      }),
      ...fake.ephemerals.map((answer, index) => shownPrivate({ ...answer, id: `ephemeral-${index}` })),
      ...fake.responses.map((answer, index) => shownPrivate({ ...answer, id: `response-${index}` })),
      ...acks.map(shownPrivate),
    ],
    async command(line) {
      const how = line.command.slack;
      if (how !== "command" && how !== "word") {
        const help = line.command.slackHelp?.("/imagine");
        return `/${line.command.name} is not a Slack command${help ? `: ${help}` : "."}`;
      }
      const text = how === "word" ? `${line.command.name} ${flagText(line)}`.trim() : flagText(line);
      const command = how === "word" ? "/imagine" : `/${line.command.name}`;
      // Not awaited: the app acks over the socket when it is done; its body, if any, is a private answer.
      void driver.slashCommand({ text, command, channel: CHANNEL, user: USER }).then(
        (reply) => {
          const body = (reply.body === "" ? {} : JSON.parse(reply.body)) as Partial<Private>;
          if (body.text || body.blocks) acks.push({ ...body, id: `ack-${acks.length}` });
        },
        (error: unknown) => acks.push({ id: `ack-${acks.length}`, text: `(not sent: ${String(error)})` }),
      );
      return undefined;
    },
    async messageCommand(name, target) {
      const command = messageCommandNamed(name);
      const shortcuts = (slackManifest().features as { shortcuts?: { name: string; callback_id: string }[] })
        .shortcuts;
      const shortcut = shortcuts?.find((candidate) => candidate.name === command.name);
      if (shortcut === undefined) return `${command.name} is no shortcut on Slack.`;
      const [channel = CHANNEL, ts = ""] = target.id.split("/");
      const message = fake.message(channel, ts);
      if (message === undefined)
        return `${command.name} works on a message of the channel, not a private answer.`;
      const { history: _history, deleted: _deleted, channel: _channel, ...wire } = message;
      await driver.messageShortcut({
        callbackId: shortcut.callback_id,
        user: USER,
        channel,
        message: { type: "message", ...wire },
      });
      return undefined;
    },
    async say({ text, files, where, replyTo }) {
      const [, threadTs] = replyTo ? replyTo.id.split("/") : [undefined, where.parent];
      const root = threadTs ? fake.message(CHANNEL, threadTs) : undefined;
      const thread = root?.thread_ts ?? threadTs;
      const posted = fake.postAsUser({
        channel: CHANNEL,
        user: USER,
        text: `<@${BOT.user_id}> ${text}`.trim(),
        ...(thread ? { thread_ts: thread } : {}),
        files: files.map((file) => ({ name: file.name, bytes: file.bytes, mimetype: file.contentType })),
      });
      await driver.event({
        type: "app_mention",
        user: USER,
        text: posted.text,
        ts: posted.ts,
        channel: CHANNEL,
        ...(thread ? { thread_ts: thread } : {}),
        ...(posted.files.length > 0 ? { files: posted.files } : {}),
      });
    },
    lastThread() {
      const inThread = fake.messages.findLast(
        (message) => message.bot_id && message.thread_ts && message.thread_ts !== message.ts,
      );
      const ts = inThread?.thread_ts;
      return ts === undefined ? undefined : { id: `${CHANNEL}/${ts}`, name: threadName(ts), parent: ts };
    },
    openForm() {
      const view = fake.views.findLast((candidate) => !answeredViews.has(candidate)) as View | undefined;
      if (view === undefined) return undefined;
      const inputs = (view.blocks ?? []).filter((block) => block.type === "input");
      return {
        title: view.title?.text ?? "a form",
        async submit(text) {
          answeredViews.add(view);
          const values = Object.fromEntries(
            inputs.map((block, index) => [
              block.block_id ?? "",
              { [block.element?.action_id ?? ""]: index === 0 ? text : "" },
            ]),
          );
          await driver.viewSubmission({ user: USER, view: view as Record<string, unknown>, values });
        },
      };
    },
    close: () => fake.close(),
  };
}
