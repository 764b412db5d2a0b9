import { h } from "./dom.js";

export interface Point {
  x: number;
  y: number;
}

/** How a kind of drawing starts, grows under the pointer and paints itself (the mask's brush, markup's pen…). */
export interface StrokeTool<S> {
  begin(at: Point, scale: number): S | undefined;
  extend(stroke: S, at: Point): void;
  paint(context: CanvasRenderingContext2D, stroke: S, forExport: boolean): void;
}

/**
 * A canvas over the first image at the image's own pixel size (CSS scales it to the screen), holding strokes
 * so undo and the exported PNG replay the same drawing. Pointer events cover mouse, pen and touch alike.
 */
export class StrokeCanvas<S> {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private strokes: S[] = [];
  private drawing: S | undefined;

  constructor(
    readonly image: HTMLImageElement,
    private tool: StrokeTool<S>,
    private readonly onChange: () => void,
  ) {
    this.canvas = h("canvas", { width: image.naturalWidth, height: image.naturalHeight, class: "strokes" });
    this.element = h(
      "div",
      { class: "stroke-stage" },
      h("img", { src: image.src, alt: "The first image" }),
      this.canvas,
    );
    this.canvas.addEventListener("pointerdown", (event) => this.down(event));
    this.canvas.addEventListener("pointermove", (event) => this.move(event));
    for (const end of ["pointerup", "pointercancel"]) this.canvas.addEventListener(end, () => this.up());
  }

  setTool(tool: StrokeTool<S>): void {
    this.tool = tool;
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  undo(): void {
    this.strokes.pop();
    this.redraw();
  }

  clear(): void {
    this.strokes = [];
    this.redraw();
  }

  /** The strokes alone on a transparent canvas of the image's size. */
  exportCanvas(): HTMLCanvasElement {
    const out = h("canvas", { width: this.canvas.width, height: this.canvas.height });
    const context = out.getContext("2d");
    if (context) for (const stroke of this.strokes) this.tool.paint(context, stroke, true);
    return out;
  }

  private down(event: PointerEvent): void {
    if (event.button !== 0) return;
    const stroke = this.tool.begin(
      this.at(event),
      this.canvas.width / this.canvas.getBoundingClientRect().width,
    );
    if (stroke === undefined) return;
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.drawing = stroke;
    this.strokes.push(stroke);
    this.redraw();
  }

  private move(event: PointerEvent): void {
    if (this.drawing === undefined) return;
    for (const each of event.getCoalescedEvents?.() ?? [event]) this.tool.extend(this.drawing, this.at(each));
    this.redraw();
  }

  private up(): void {
    if (this.drawing === undefined) return;
    this.drawing = undefined;
    this.onChange();
  }

  private at(event: PointerEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * this.canvas.width) / box.width,
      y: ((event.clientY - box.top) * this.canvas.height) / box.height,
    };
  }

  private redraw(): void {
    const context = this.canvas.getContext("2d");
    if (!context) return;
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    for (const stroke of this.strokes) this.tool.paint(context, stroke, false);
    this.onChange();
  }
}

/** A PNG of a canvas, as the form sends it. */
export function toPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("The canvas gave no PNG"))),
      "image/png",
    ),
  );
}

/** Loads an image so its natural size is known (a blob: URL or one of the person's run files). */
export function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`cannot show ${src}`));
    image.src = src;
  });
}
