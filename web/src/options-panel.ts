import type { StudioMe, StudioModel, StudioOption } from "../../src/platforms/web/studio-api.js";
import { h } from "./dom.js";

/** Options with a place of their own on the page (the prompt box, the API switch) or none (files). */
const DRAWN_ELSEWHERE = new Set(["prompt", "api", "image", "mask", "markup", "private"]);
/** Shown at once; the rest wait under "More options". */
const FIRST = new Set(["model", "size", "quality", "n", "partials"]);

type Field = { option: StudioOption; read: () => unknown; input: HTMLInputElement | HTMLSelectElement };

/** Every option of `/imagine` as a field; an untouched field is not sent, so it means the person's default. */
export class OptionsPanel {
  readonly element: HTMLElement;
  private readonly fields: Field[] = [];
  private api: "images" | "responses";

  constructor(
    private readonly me: StudioMe,
    private readonly onModel: (model: StudioModel | undefined) => void,
  ) {
    this.api = me.defaults.api;
    const shown = me.options.filter((option) => !DRAWN_ELSEWHERE.has(option.name));
    const first = h("div", { class: "fields" });
    const more = h("div", { class: "fields" });
    for (const option of shown) {
      const field = this.field(option);
      this.fields.push(field);
      (FIRST.has(option.name) ? first : more).append(fieldRow(option, field.input));
    }
    this.element = h(
      "div",
      { class: "options" },
      this.apiSwitch(),
      first,
      h("details", { class: "more" }, h("summary", {}, "More options"), more),
    );
  }

  /** The options as typed, by name: the server validates them as chat does. */
  values(): Record<string, unknown> {
    const values: Record<string, unknown> = { api: this.api };
    for (const field of this.fields) {
      const value = field.read();
      if (value !== undefined) values[field.option.name] = value;
    }
    return values;
  }

  get apiMode(): "images" | "responses" {
    return this.api;
  }

  /** The model the run will use: the one chosen, or the default. */
  model(): StudioModel | undefined {
    const chosen =
      this.fields.find((field) => field.option.name === "model")?.input.value || this.me.defaults.model;
    return this.me.models.find((model) => model.name === chosen);
  }

  private apiSwitch(): HTMLElement {
    const group = h("div", { class: "segmented api", role: "group", "aria-label": "API" });
    for (const [api, label] of [
      ["images", "Images API"],
      ["responses", "Responses API"],
    ] as const) {
      const button = h(
        "button",
        { type: "button", "data-api": api, "aria-pressed": String(api === this.api) },
        label,
      );
      button.addEventListener("click", () => {
        this.api = api;
        for (const other of group.querySelectorAll("button"))
          other.setAttribute("aria-pressed", String(other === button));
      });
      group.append(button);
    }
    return group;
  }

  private field(option: StudioOption): Field {
    const id = `option-${option.name}`;
    if (option.name === "model") {
      const select = h(
        "select",
        { id, name: option.name },
        h("option", { value: "" }, `Default (${this.me.defaults.model})`),
      );
      for (const model of this.me.models) select.append(h("option", { value: model.name }, model.name));
      select.addEventListener("change", () => this.onModel(this.model()));
      return { option, input: select, read: () => select.value || undefined };
    }
    if (option.choices) {
      const select = h("select", { id, name: option.name }, h("option", { value: "" }, "Default"));
      for (const choice of option.choices)
        select.append(h("option", { value: String(choice.value) }, choice.name));
      return { option, input: select, read: () => select.value || undefined };
    }
    if (option.type === "boolean") {
      const toggle = h("input", { id, name: option.name, type: "checkbox", role: "switch" });
      // Untouched means the person's own default (their /settings may say true); touched, what it shows, so a
      // default of true can be turned off here.
      let touched = false;
      toggle.addEventListener("change", () => {
        touched = true;
      });
      return { option, input: toggle, read: () => (touched || toggle.checked ? toggle.checked : undefined) };
    }
    const numeric = option.type !== "string";
    const input = h("input", {
      id,
      name: option.name,
      type: numeric ? "number" : "text",
      inputmode: option.type === "integer" ? "numeric" : undefined,
      min: option.min,
      max: option.max,
      step: option.type === "integer" ? 1 : undefined,
      placeholder: option.name === "size" ? "auto or 1536x1024" : "Default",
    });
    return { option, input, read: () => input.value.trim() || undefined };
  }
}

function fieldRow(option: StudioOption, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  const toggle = input.type === "checkbox";
  return h(
    "label",
    { class: toggle ? "field toggle" : "field", for: input.id, title: option.description },
    h("span", { class: "name" }, option.name),
    input,
    h("small", {}, option.description),
  );
}
