import { h } from "./dom.js";
import type { InputImage } from "./input-images.js";
import { MarkupDrawer } from "./markup-drawer.js";
import { MaskPainter } from "./mask-painter.js";
import { sentences } from "./sentences.js";
import { loadImage } from "./stroke-canvas.js";

export type RegionMode = "whole" | "paint" | "markup";

/** What the first image sends beside it: a mask, a markup, or a sentence saying why nothing can be sent. */
export type Region = { mask?: Blob; markup?: Blob } | { refusal: string };

/** Over the first input: the whole image, a painted region (mask) or, on models that take it, a markup. */
export class RegionEditor {
  readonly element: HTMLElement;
  private readonly modes: HTMLElement;
  private readonly stage: HTMLElement;
  private mode: RegionMode = "whole";
  private markupAllowed = false;
  private image: HTMLImageElement | undefined;
  private painter: MaskPainter | undefined;
  private drawer: MarkupDrawer | undefined;
  private shown = 0;

  constructor(private readonly refuse: (sentence: string) => void) {
    this.modes = h("div", { class: "segmented modes", role: "group", "aria-label": "What to change" });
    this.stage = h("div", { class: "region-stage" });
    this.element = h("div", { class: "region", hidden: true }, this.modes, this.stage);
  }

  /** The first input changed: its drawing starts afresh on the new image. */
  async show(first: InputImage | undefined, name: string): Promise<void> {
    this.painter = this.drawer = this.image = undefined;
    const showing = ++this.shown;
    this.element.hidden = first === undefined;
    if (first === undefined) return this.stage.replaceChildren();
    try {
      const image = await loadImage(first.url);
      if (showing !== this.shown) return;
      this.image = image;
    } catch {
      this.element.hidden = true;
      return this.refuse(sentences.cannotShow(name));
    }
    this.render();
  }

  /** The model chosen takes a markup (never with a mask) or not. */
  allowMarkup(allowed: boolean): void {
    this.markupAllowed = allowed;
    if (!allowed && this.mode === "markup") this.mode = "whole";
    this.render();
  }

  setMode(mode: RegionMode): void {
    this.mode = mode;
    this.render();
  }

  async region(): Promise<Region> {
    if (this.image === undefined || this.mode === "whole") return {};
    if (this.mode === "paint") {
      const mask = await this.painter?.mask();
      return mask ? { mask } : { refusal: sentences.emptyMask };
    }
    const markup = await this.drawer?.markup();
    return markup ? { markup } : { refusal: sentences.emptyMarkup };
  }

  private render(): void {
    const offered: [RegionMode, string][] = [
      ["whole", "Whole image"],
      ["paint", "Paint region"],
    ];
    if (this.markupAllowed) offered.push(["markup", "Markup"]);
    this.modes.replaceChildren(
      ...offered.map(([mode, label]) =>
        h(
          "button",
          { type: "button", "aria-pressed": String(mode === this.mode), onclick: () => this.setMode(mode) },
          label,
        ),
      ),
    );
    const image = this.image;
    if (image === undefined) return;
    if (this.mode === "paint") {
      this.painter ??= new MaskPainter(image);
      this.stage.replaceChildren(this.painter.element);
    } else if (this.mode === "markup") {
      this.drawer ??= new MarkupDrawer(image);
      this.stage.replaceChildren(this.drawer.element);
    } else {
      this.stage.replaceChildren(h("img", { src: image.src, alt: "The first image", class: "whole" }));
    }
  }
}
