import { invalidForm } from "./http.js";

/** Discord's limits on a message's (non-V2) components: 5 action rows, 5 buttons in a row. */
const MAX_ROWS = 5;
const MAX_IN_ROW = 5;

/** Refuses what Discord refuses with a 50035 form error: too many rows, too many buttons in a row. */
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
  }
}
