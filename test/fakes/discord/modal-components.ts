import type { FakeInteraction } from "./types.js";

/**
 * What Discord accepts in a modal besides its title and id: action rows of text inputs, text displays, and
 * labels (type 18) each holding one input, among them the file upload (type 19) with its limits (discord-api-types
 * `APILabelComponent`, `APIFileUploadComponent`). Each problem is keyed the way Discord's 50035 body nests them.
 */
const ROW = 1;
const TEXT_INPUT = 4;
const TEXT_DISPLAY = 10;
const LABEL = 18;
const FILE_UPLOAD = 19;
/** What a label may hold: selects, a text input, a file upload, radio groups and checkboxes. */
const IN_LABEL = new Set([3, 4, 5, 6, 7, 8, FILE_UPLOAD, 21, 22, 23]);

type Problems = Record<string, unknown>;
const error = (message: string) => ({ _errors: [{ message }] });
const isInt = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);

function fileUploadProblems(upload: Record<string, unknown>): Problems {
  const problems: Problems = {};
  const customId = typeof upload.custom_id === "string" ? upload.custom_id : "";
  if (customId.length < 1 || customId.length > 100)
    problems.custom_id = error("Must be between 1 and 100 in length.");
  const min = upload.min_values ?? 1;
  const max = upload.max_values ?? 1;
  if (!isInt(min) || min < 0 || min > 10)
    problems.min_values = error("int value should be between 0 and 10.");
  if (!isInt(max) || max < 1 || max > 10)
    problems.max_values = error("int value should be between 1 and 10.");
  if (isInt(min) && isInt(max) && min > max)
    problems.min_values = error("min_values must be less than or equal to max_values.");
  const types = upload.file_types;
  if (types !== undefined && (!Array.isArray(types) || types.length > 10))
    problems.file_types = error("Must be 10 or fewer in length.");
  // `FileUploadType`: a kind of file, or a dot-prefixed extension.
  else if (types?.some((type) => typeof type !== "string" || !/^(audio|image|video|\.\w+)$/.test(type)))
    problems.file_types = error('Each must be "audio", "image", "video" or an extension like ".png".');
  if (upload.required !== undefined && typeof upload.required !== "boolean")
    problems.required = error("Must be a boolean.");
  return problems;
}

function componentProblems(component: Record<string, unknown>): Problems {
  const type = component.type;
  if (type === ROW) {
    const inner = Array.isArray(component.components) ? component.components : [];
    const bad = inner.findIndex((child) => (child as { type?: unknown }).type !== TEXT_INPUT);
    return bad < 0
      ? {}
      : { components: { [bad]: { type: error(`Value of field "type" must be one of (${TEXT_INPUT},).`) } } };
  }
  if (type === TEXT_DISPLAY) return {};
  if (type !== LABEL)
    return { type: error(`Value of field "type" must be one of (${ROW}, ${TEXT_DISPLAY}, ${LABEL}).`) };
  const problems: Problems = {};
  const label = typeof component.label === "string" ? component.label : "";
  if (label.length < 1 || label.length > 45) problems.label = error("Must be between 1 and 45 in length.");
  if (typeof component.description === "string" && component.description.length > 100)
    problems.description = error("Must be 100 or fewer in length.");
  const inner = component.component as Record<string, unknown> | undefined;
  if (inner === undefined || !IN_LABEL.has(inner.type as number)) {
    problems.component = error("A label must hold one input component.");
  } else if (inner.type === FILE_UPLOAD) {
    const upload = fileUploadProblems(inner);
    if (Object.keys(upload).length > 0) problems.component = upload;
  }
  return problems;
}

/** Problems of a modal's components, by index; empty when Discord would take them. */
export function modalComponentProblems(components: readonly unknown[]): Problems {
  const problems: Problems = {};
  for (const [index, component] of components.entries()) {
    const found = componentProblems((component ?? {}) as Record<string, unknown>);
    if (Object.keys(found).length > 0) problems[index] = found;
  }
  return problems;
}

/** The file upload a shown modal declares under `customId`, with its limits (Discord's defaults filled in). */
function shownUpload(modal: Record<string, unknown>, customId: string) {
  for (const component of (modal.components ?? []) as Record<string, unknown>[]) {
    const inner = component.component as Record<string, unknown> | undefined;
    if (component.type === LABEL && inner?.type === FILE_UPLOAD && inner.custom_id === customId) {
      return {
        min: (inner.min_values as number | undefined) ?? 1,
        max: (inner.max_values as number | undefined) ?? 1,
        required: (inner.required as boolean | undefined) ?? true,
      };
    }
  }
  return undefined;
}

/**
 * A person can only upload what the modal they were shown offers: Discord's client enforces the count. A test
 * that submits files the modal never asked for, or too many, is wrong, and is told so.
 */
export function checkSubmittedUploads(
  interactions: Iterable<FakeInteraction>,
  modalId: string,
  uploads: Record<string, number>,
): void {
  const modal = [...interactions]
    .map((interaction) =>
      interaction.callbackType === 9 ? (interaction.callbackData as Record<string, unknown>) : undefined,
    )
    .find((data) => data?.custom_id === modalId);
  if (modal === undefined) throw new Error(`no modal ${modalId} was shown`);
  for (const [customId, count] of Object.entries(uploads)) {
    const upload = shownUpload(modal, customId);
    if (upload === undefined) throw new Error(`modal ${modalId} has no file upload ${customId}`);
    if (count > upload.max || (count < upload.min && (count > 0 || upload.required)))
      throw new Error(
        `modal ${modalId} takes ${upload.min} to ${upload.max} files in ${customId}, not ${count}`,
      );
  }
}
