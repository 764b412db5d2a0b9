import { checkButton } from "./component-limits.js";
import { invalidForm } from "./http.js";

/** Discord's message flag for Components V2: set once (at create or by an edit), never cleared. */
export const IS_COMPONENTS_V2 = 1 << 15;

/** Component types (Discord's API): what a V2 message may hold, and where. */
const T = {
  row: 1,
  button: 2,
  stringSelect: 3,
  section: 9,
  text: 10,
  thumbnail: 11,
  gallery: 12,
  file: 13,
  separator: 14,
  container: 17,
} as const;
const SELECTS = new Set([3, 5, 6, 7, 8]);
const TOP_LEVEL = new Set<number>([T.row, T.section, T.text, T.gallery, T.file, T.separator, T.container]);
const IN_CONTAINER = new Set<number>([T.row, T.section, T.text, T.gallery, T.file, T.separator]);
/** Link and premium buttons carry no custom id. */
const NO_CUSTOM_ID_STYLES = new Set([5, 6]);

const MAX_COMPONENTS = 40;
const MAX_TEXT = 4000;
const MAX_CUSTOM_ID = 100;

type Path = (string | number)[];

interface Component {
  type?: number;
  style?: number;
  custom_id?: string;
  content?: string;
  components?: Component[];
  accessory?: Component;
  items?: { media?: { url?: string } }[];
  media?: { url?: string };
  file?: { url?: string };
  options?: { value?: string }[];
}

/** A 50035 form error at `path`, in Discord's nested `_errors` shape. */
function refuse(path: Path, code: string, message: string): never {
  let errors: unknown = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) errors = { [String(key)]: errors };
  throw invalidForm(errors);
}

/** What one message's walk has seen so far. */
interface Walk {
  count: number;
  text: number;
  ids: Set<string>;
  /** File names the message has or is given: `attachment://` must name one. */
  files: ReadonlySet<string>;
}

function checkAttachmentUrl(url: string | undefined, walk: Walk, path: Path): void {
  if (url === undefined) refuse(path, "BASE_TYPE_REQUIRED", "This field is required");
  if (!url.startsWith("attachment://")) return;
  const name = url.slice("attachment://".length);
  if (!walk.files.has(name)) {
    refuse(path, "UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND", `Attachment "${name}" was not found`);
  }
}

function checkRow(row: Component, walk: Walk, path: Path): void {
  const inside = row.components ?? [];
  const selects = inside.filter((component) => SELECTS.has(component.type ?? 0)).length;
  const buttons = inside.filter((component) => component.type === T.button).length;
  const valid =
    selects === 1 ? inside.length === 1 : buttons === inside.length && buttons >= 1 && buttons <= 5;
  if (!valid) {
    refuse(
      [...path, "components"],
      "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
      "An action row holds 1 to 5 buttons or one select",
    );
  }
  for (const [index, component] of inside.entries())
    walkComponent(component, walk, [...path, "components", index]);
}

function checkSelect(select: Component, path: Path): void {
  const options = select.options ?? [];
  if (select.type !== T.stringSelect) return;
  if (options.length < 1 || options.length > 25) {
    refuse([...path, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.");
  }
  const values = options.map((option) => option.value);
  if (new Set(values).size !== values.length) {
    refuse([...path, "options"], "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique");
  }
}

function checkCustomId(component: Component, walk: Walk, path: Path): void {
  const interactive = component.type === T.button || SELECTS.has(component.type ?? 0);
  if (!interactive || NO_CUSTOM_ID_STYLES.has(component.style ?? 0)) return;
  const id = component.custom_id;
  if (id === undefined || id.length === 0 || id.length > MAX_CUSTOM_ID) {
    refuse([...path, "custom_id"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
  }
  if (walk.ids.has(id))
    refuse(
      [...path, "custom_id"],
      "COMPONENT_CUSTOM_ID_DUPLICATED",
      "Component custom id cannot be duplicated",
    );
  walk.ids.add(id);
}

function walkComponent(component: Component, walk: Walk, path: Path): void {
  walk.count += 1;
  checkButton(component, path);
  checkCustomId(component, walk, path);
  if (SELECTS.has(component.type ?? 0)) checkSelect(component, path);
  if (component.type === T.row) {
    checkRow(component, walk, path);
    return;
  }
  if (component.type === T.text) {
    const length = component.content?.length ?? 0;
    if (length < 1 || length > MAX_TEXT)
      refuse([...path, "content"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 4000 in length.");
    walk.text += length;
  }
  if (component.type === T.gallery) {
    const items = component.items ?? [];
    if (items.length < 1 || items.length > 10)
      refuse([...path, "items"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 10 in length.");
    for (const [index, item] of items.entries())
      checkAttachmentUrl(item.media?.url, walk, [...path, "items", index, "media", "url"]);
  }
  if (component.type === T.thumbnail)
    checkAttachmentUrl(component.media?.url, walk, [...path, "media", "url"]);
  if (component.type === T.file) checkAttachmentUrl(component.file?.url, walk, [...path, "file", "url"]);
  if (component.type === T.container || component.type === T.section) {
    for (const [index, child] of (component.components ?? []).entries()) {
      const allowed =
        component.type === T.container ? IN_CONTAINER.has(child.type ?? 0) : child.type === T.text;
      if (!allowed)
        refuse(
          [...path, "components", index, "type"],
          "COMPONENT_TYPE_INVALID",
          "Component type is not allowed here",
        );
      walkComponent(child, walk, [...path, "components", index]);
    }
  }
  if (component.accessory) walkComponent(component.accessory, walk, [...path, "accessory"]);
}

/**
 * Refuses a Components V2 payload as Discord does: no content, embeds, poll or stickers; top-level types only;
 * at most 40 components counting every nested one (gallery items do not count); action rows of 1–5 buttons or
 * one select of 1–25 unique options; galleries of 1–10 items; text displays of 1–4000 characters and 4000 in all;
 * `attachment://` naming a file of the message; custom ids unique and at most 100 characters.
 */
export function checkComponentsV2(json: Record<string, unknown>, files: ReadonlySet<string>): void {
  if (typeof json.content === "string" && json.content !== "") {
    refuse(
      ["content"],
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  }
  for (const field of ["embeds", "sticker_ids"]) {
    const value = json[field];
    if (Array.isArray(value) && value.length > 0) {
      refuse(
        [field],
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
        `The '${field}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`,
      );
    }
  }
  if (json.poll !== undefined && json.poll !== null) {
    refuse(
      ["poll"],
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      "The 'poll' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  }
  if (!Array.isArray(json.components)) return;
  const walk: Walk = { count: 0, text: 0, ids: new Set(), files };
  for (const [index, component] of (json.components as Component[]).entries()) {
    if (!TOP_LEVEL.has(component.type ?? 0))
      refuse(
        ["components", index, "type"],
        "COMPONENT_TYPE_INVALID",
        "Component type is not allowed at the top level",
      );
    walkComponent(component, walk, ["components", index]);
  }
  if (walk.count > MAX_COMPONENTS) {
    refuse(["components"], "BASE_TYPE_MAX_LENGTH", `Must be ${MAX_COMPONENTS} or fewer in length.`);
  }
  if (walk.text > MAX_TEXT) {
    refuse(
      ["components"],
      "MESSAGE_COMPONENTS_TEXT_TOO_LONG",
      `The total text of the components must be ${MAX_TEXT} or fewer characters`,
    );
  }
}

/**
 * Whether a create or edit makes (or keeps) a Components V2 message, refusing an edit that clears the flag:
 * Discord lets an edit set it on a classic message, never take it off.
 */
export function wantsComponentsV2(
  json: Record<string, unknown>,
  currentFlags: number,
  edit: boolean,
): boolean {
  const asked = typeof json.flags === "number" ? (json.flags & IS_COMPONENTS_V2) !== 0 : undefined;
  const already = edit && (currentFlags & IS_COMPONENTS_V2) !== 0;
  if (already && asked === false) {
    refuse(
      ["flags"],
      "MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG",
      "The IS_COMPONENTS_V2 flag cannot be removed once set",
    );
  }
  return already || asked === true;
}

type SelectJson = {
  type?: number;
  custom_id?: string;
  options?: { value?: string }[];
  components?: SelectJson[];
};

/** The select with `customId` anywhere in a message's components (a gallery's sit in a container's rows). */
export function findSelect(components: readonly unknown[], customId: string): SelectJson | undefined {
  for (const component of components as SelectJson[]) {
    if (component.type === 3 && component.custom_id === customId) return component;
    const inside = findSelect(component.components ?? [], customId);
    if (inside) return inside;
  }
  return undefined;
}
