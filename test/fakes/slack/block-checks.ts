import { type FakeSlackState, isReady } from "./state.js";

/** Slack's Block Kit limits the fake enforces, from its block and element references. */
const LIMITS = {
  blocks: 50,
  cards: 10,
  cardTitle: 150,
  cardBody: 200,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  overflow: { min: 2, max: 5 },
};

const RENDERABLE = new Set(["image/png", "image/jpeg", "image/gif"]);

interface Text {
  text?: string;
}
interface Element {
  type?: string;
  action_id?: string;
  text?: Text;
  value?: string;
  url?: string;
  options?: { text?: Text; value?: string }[];
  slack_file?: { id?: string };
  alt_text?: string;
}
interface Block extends Element {
  elements?: Block[];
  accessory?: Element;
  hero_image?: Element;
  title?: Text;
  subtitle?: Text;
  body?: Text;
  actions?: Element[];
}

/** What one message's check has found, and the action ids it has seen (unique per message). */
interface Check {
  state: FakeSlackState;
  errors: string[];
  actionIds: Set<string>;
}

const at = (pointer: string) => `[json-pointer:${pointer}]`;

function checkImage(check: Check, image: Element, pointer: string): void {
  if (!image.alt_text) check.errors.push(`must provide alt_text ${at(`${pointer}/alt_text`)}`);
  const file = image.slack_file?.id === undefined ? undefined : check.state.files.get(image.slack_file.id);
  if (file === undefined || !isReady(check.state, file)) {
    check.errors.push(`invalid slack file ${at(`${pointer}/slack_file`)}`);
  } else if (!RENDERABLE.has(file.mimetype)) {
    check.errors.push(`unsupported image type ${at(`${pointer}/slack_file`)}`);
  }
}

function checkActionId(check: Check, element: Element, pointer: string): void {
  const id = element.action_id;
  if (id === undefined) return;
  if (id.length > LIMITS.actionId)
    check.errors.push(`must be less than 256 characters ${at(`${pointer}/action_id`)}`);
  if (check.actionIds.has(id))
    check.errors.push(`action_id already exists in message ${at(`${pointer}/action_id`)}`);
  check.actionIds.add(id);
}

function checkElement(check: Check, element: Element, pointer: string): void {
  checkActionId(check, element, pointer);
  if (element.type === "button") {
    if ((element.text?.text?.length ?? 0) > LIMITS.buttonText) {
      check.errors.push(`must be less than 76 characters ${at(`${pointer}/text/text`)}`);
    }
    if ((element.value?.length ?? 0) > LIMITS.buttonValue) {
      check.errors.push(`must be less than 2001 characters ${at(`${pointer}/value`)}`);
    }
    // A link button opens its url in the person's browser: an http(s) URL of at most 3000 characters.
    if (
      element.url !== undefined &&
      (!/^https?:\/\/\S+$/.test(element.url) || element.url.length > LIMITS.buttonUrl)
    ) {
      check.errors.push(`must be a valid URL of at most 3000 characters ${at(`${pointer}/url`)}`);
    }
  }
  if (element.type === "overflow") {
    const options = element.options ?? [];
    if (options.length < LIMITS.overflow.min || options.length > LIMITS.overflow.max) {
      check.errors.push(`must provide between 2 and 5 options ${at(`${pointer}/options`)}`);
    }
  }
}

function checkCard(check: Check, card: Block, pointer: string): void {
  if (card.type !== "card") check.errors.push(`must be a card block ${at(`${pointer}/type`)}`);
  if (!card.hero_image && !card.title && !card.actions?.length && !card.body) {
    check.errors.push(`must provide one of hero_image, title, actions or body ${at(pointer)}`);
  }
  for (const [field, max] of [
    ["title", LIMITS.cardTitle],
    ["subtitle", LIMITS.cardTitle],
    ["body", LIMITS.cardBody],
  ] as const) {
    if ((card[field]?.text?.length ?? 0) > max) {
      check.errors.push(`must be less than ${max + 1} characters ${at(`${pointer}/${field}/text`)}`);
    }
  }
  if (card.hero_image) checkImage(check, card.hero_image, `${pointer}/hero_image`);
  for (const [index, action] of (card.actions ?? []).entries()) {
    if (action.type !== "button")
      check.errors.push(`must be a button ${at(`${pointer}/actions/${index}/type`)}`);
    checkElement(check, action, `${pointer}/actions/${index}`);
  }
}

function checkCarousel(check: Check, block: Block, pointer: string, refused: boolean): void {
  if (refused) {
    check.errors.push(`unsupported type: carousel ${at(`${pointer}/type`)}`);
    return;
  }
  const cards = block.elements ?? [];
  if (cards.length < 1 || cards.length > LIMITS.cards) {
    check.errors.push(`must provide between 1 and 10 elements ${at(`${pointer}/elements`)}`);
  }
  for (const [index, card] of cards.entries()) checkCard(check, card, `${pointer}/elements/${index}`);
}

function checkBlock(check: Check, block: Block, pointer: string): void {
  if (block.type === "image") checkImage(check, block, pointer);
  if (block.type === "carousel") checkCarousel(check, block, pointer, check.state.carouselsRefused);
  if (block.type === "card") check.errors.push(`a card must be inside a carousel ${at(`${pointer}/type`)}`);
  if (block.type === "actions") {
    for (const [index, element] of (block.elements ?? []).entries()) {
      checkElement(check, element, `${pointer}/elements/${index}`);
    }
  }
  if (block.accessory) checkElement(check, block.accessory, `${pointer}/accessory`);
}

/**
 * The errors Slack answers `invalid_blocks` with for a message's blocks (none: undefined): at most 50 blocks;
 * image blocks and card hero images naming a file Slack has processed, in a format it shows; carousels of 1 to
 * 10 cards (or none at all, where the workspace has no carousels), each card with something in it, its texts
 * within their limits and only buttons as actions; overflow menus of 2 to 5 options; button texts and values
 * within theirs; action ids unique in the message and at most 255 characters.
 */
export function blockErrors(state: FakeSlackState, blocks: unknown[]): string[] | undefined {
  const check: Check = { state, errors: [], actionIds: new Set() };
  if (blocks.length > LIMITS.blocks) check.errors.push(`must provide no more than 50 items ${at("/blocks")}`);
  for (const [index, block] of (blocks as Block[]).entries()) checkBlock(check, block, `/blocks/${index}`);
  return check.errors.length === 0 ? undefined : check.errors;
}
