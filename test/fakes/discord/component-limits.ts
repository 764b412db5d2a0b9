import { invalidForm } from "./http.js";

/** Discord's limits on a message's (non-V2) components: 5 action rows, 5 buttons in a row. */
const MAX_ROWS = 5;
const MAX_IN_ROW = 5;

/** Discord's button style for a link: it opens `url`, sends no interaction, and carries no custom id. */
const LINK_STYLE = 5;
const MAX_URL = 512;

interface Button {
  type?: number;
  style?: number;
  custom_id?: string;
  url?: string;
}

function refuseAt(path: (string | number)[], code: string, message: string): never {
  let errors: unknown = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) errors = { [String(key)]: errors };
  throw invalidForm(errors);
}

/**
 * A button is a link (style 5: an http(s) or discord `url` of at most 512 characters, no custom id) or an
 * interactive one (a custom id, no url), as Discord refuses anything between.
 */
export function checkButton(button: Button, path: (string | number)[]): void {
  if (button.type !== 2) return;
  if (button.style === LINK_STYLE) {
    if (button.custom_id !== undefined)
      refuseAt(
        [...path, "custom_id"],
        "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
        "A link button has no custom id",
      );
    if (typeof button.url !== "string" || !/^(https?|discord):\/\//.test(button.url))
      refuseAt([...path, "url"], "BUTTON_COMPONENT_URL_REQUIRED", "A link button needs a valid url");
    if (button.url.length > MAX_URL)
      refuseAt([...path, "url"], "BASE_TYPE_MAX_LENGTH", `Must be ${MAX_URL} or fewer in length.`);
  } else if (button.url !== undefined) {
    refuseAt([...path, "url"], "BUTTON_COMPONENT_URL_NOT_ALLOWED", "Only a link button has a url");
  }
}

/**
 * Refuses what Discord refuses with a 50035 form error: too many rows, too many buttons in a row, a link
 * button with a custom id or without its url, another button with a url.
 */
export function checkComponents(components: unknown): void {
  if (!Array.isArray(components)) return;
  if (components.length > MAX_ROWS) {
    throw invalidForm({
      components: {
        _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${MAX_ROWS} or fewer in length.` }],
      },
    });
  }
  for (const [index, row] of components.entries()) {
    const inRow = (row as { components?: unknown[] }).components ?? [];
    if (inRow.length > MAX_IN_ROW) {
      throw invalidForm({
        components: {
          [index]: {
            components: {
              _errors: [
                { code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${MAX_IN_ROW} or fewer in length.` },
              ],
            },
          },
        },
      });
    }
    for (const [at, button] of inRow.entries())
      checkButton(button as Button, ["components", index, "components", at]);
  }
}
