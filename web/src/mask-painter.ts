import { h } from "./dom.js";
import { type Point, StrokeCanvas, type StrokeTool, toPng } from "./stroke-canvas.js";

interface BrushStroke {
  erase: boolean;
  width: number;
  points: Point[];
}

/** The overlay's tint on screen; the exported mask is white on black whatever it shows. */
const TINT = "rgb(255, 64, 129)";

/** Paints the region to change on the first image: brush, eraser, size, undo, clear; exports the mask PNG. */
export class MaskPainter {
  readonly element: HTMLElement;
  private readonly stage: StrokeCanvas<BrushStroke>;
  private erase = false;

  constructor(image: HTMLImageElement) {
    const size = h("input", {
      type: "range",
      min: 4,
      max: 160,
      value: 40,
      id: "brush-size",
      "aria-label": "Brush size",
    });
    const brush: StrokeTool<BrushStroke> = {
      begin: (at, scale) => ({ erase: this.erase, width: Number(size.value) * scale, points: [at] }),
      extend: (stroke, at) => stroke.points.push(at),
      paint: (context, stroke, forExport) => paintBrush(context, stroke, forExport ? "#fff" : TINT),
    };
    this.stage = new StrokeCanvas(image, brush, () => undefined);
    this.stage.canvas.classList.add("mask-overlay");
    const tools = h("div", { class: "segmented", role: "group", "aria-label": "Brush" });
    const pick = (erase: boolean, button: HTMLButtonElement) => {
      this.erase = erase;
      for (const other of tools.querySelectorAll("button"))
        other.setAttribute("aria-pressed", String(other === button));
    };
    const brushButton = h(
      "button",
      { type: "button", "aria-pressed": "true", onclick: () => pick(false, brushButton) },
      "Brush",
    );
    const eraserButton = h(
      "button",
      { type: "button", "aria-pressed": "false", onclick: () => pick(true, eraserButton) },
      "Eraser",
    );
    tools.append(brushButton, eraserButton);
    this.element = h(
      "div",
      { class: "painter" },
      h(
        "div",
        { class: "toolbar" },
        tools,
        h("label", { class: "slider" }, "Size", size),
        h("button", { type: "button", onclick: () => this.stage.undo() }, "Undo"),
        h("button", { type: "button", onclick: () => this.stage.clear() }, "Clear"),
      ),
      this.stage.element,
      h("p", { class: "hint" }, "Paint where the image should change; the rest is kept."),
    );
  }

  /** The mask: white where painted, black elsewhere, at the first image's exact size; none when nothing is painted. */
  async mask(): Promise<Blob | undefined> {
    const strokes = this.stage.exportCanvas();
    if (!hasInk(strokes)) return undefined;
    const mask = h("canvas", { width: strokes.width, height: strokes.height });
    const context = mask.getContext("2d");
    if (!context) return undefined;
    context.fillStyle = "#000";
    context.fillRect(0, 0, mask.width, mask.height);
    context.drawImage(strokes, 0, 0);
    return toPng(mask);
  }
}

function paintBrush(context: CanvasRenderingContext2D, stroke: BrushStroke, colour: string): void {
  context.save();
  context.globalCompositeOperation = stroke.erase ? "destination-out" : "source-over";
  context.strokeStyle = context.fillStyle = colour;
  context.lineWidth = stroke.width;
  context.lineCap = context.lineJoin = "round";
  const [first, ...rest] = stroke.points;
  if (first) {
    context.beginPath();
    context.arc(first.x, first.y, stroke.width / 2, 0, Math.PI * 2);
    context.fill();
    context.beginPath();
    context.moveTo(first.x, first.y);
    for (const point of rest) context.lineTo(point.x, point.y);
    context.stroke();
  }
  context.restore();
}

/** Whether any pixel of the strokes is painted (an eraser can take a whole drawing back). */
function hasInk(canvas: HTMLCanvasElement): boolean {
  const pixels = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data;
  if (!pixels) return false;
  for (let alpha = 3; alpha < pixels.length; alpha += 4) if ((pixels[alpha] ?? 0) > 0) return true;
  return false;
}
