import { h } from "./dom.js";
import { type Point, StrokeCanvas, type StrokeTool, toPng } from "./stroke-canvas.js";

type MarkupStroke =
  | { kind: "pen"; colour: string; width: number; points: Point[] }
  | { kind: "arrow" | "circle"; colour: string; width: number; from: Point; to: Point }
  | { kind: "text"; colour: string; size: number; at: Point; text: string };

type MarkupKind = MarkupStroke["kind"];

const KINDS: { kind: MarkupKind; label: string }[] = [
  { kind: "pen", label: "Pen" },
  { kind: "arrow", label: "Arrow" },
  { kind: "circle", label: "Circle" },
  { kind: "text", label: "Text" },
];

/** Draws a markup overlay guiding the edit (pen, arrow, circle, text, colour, undo); exports the transparent PNG. */
export class MarkupDrawer {
  readonly element: HTMLElement;
  private readonly stage: StrokeCanvas<MarkupStroke>;
  private kind: MarkupKind = "pen";

  constructor(image: HTMLImageElement) {
    const colour = h("input", { type: "color", value: "#ff3b30", "aria-label": "Colour" });
    const words = h("input", {
      type: "text",
      placeholder: "Text to place",
      "aria-label": "Text to place",
      class: "markup-text",
    });
    // Lines scale with the image, so a note drawn on a phone reads the same on a 4K image.
    const weight = () => Math.max(3, Math.round(Math.max(image.naturalWidth, image.naturalHeight) / 150));
    const tool: StrokeTool<MarkupStroke> = {
      begin: (at) => {
        const common = { colour: colour.value, width: weight() };
        if (this.kind === "pen") return { kind: "pen", ...common, points: [at] };
        if (this.kind === "text") {
          if (words.value.trim() === "") return void words.focus();
          return { kind: "text", colour: colour.value, size: weight() * 6, at, text: words.value.trim() };
        }
        return { kind: this.kind, ...common, from: at, to: at };
      },
      extend: (stroke, at) => {
        if (stroke.kind === "pen") stroke.points.push(at);
        else if (stroke.kind !== "text") stroke.to = at;
      },
      paint: paintMarkup,
    };
    this.stage = new StrokeCanvas(image, tool, () => undefined);
    const kinds = h("div", { class: "segmented", role: "group", "aria-label": "Markup tool" });
    for (const { kind, label } of KINDS) {
      const button = h("button", { type: "button", "aria-pressed": String(kind === this.kind) }, label);
      button.addEventListener("click", () => {
        this.kind = kind;
        for (const other of kinds.querySelectorAll("button"))
          other.setAttribute("aria-pressed", String(other === button));
        if (kind === "text") words.focus();
      });
      kinds.append(button);
    }
    this.element = h(
      "div",
      { class: "painter" },
      h(
        "div",
        { class: "toolbar" },
        kinds,
        colour,
        words,
        h("button", { type: "button", onclick: () => this.stage.undo() }, "Undo"),
      ),
      this.stage.element,
      h("p", { class: "hint" }, "Circle, point at and label what to change; the model reads your marks."),
    );
  }

  /** The strokes alone on a transparent PNG of the first image's size; none when nothing is drawn. */
  async markup(): Promise<Blob | undefined> {
    return this.stage.isEmpty ? undefined : toPng(this.stage.exportCanvas());
  }
}

function paintMarkup(context: CanvasRenderingContext2D, stroke: MarkupStroke): void {
  context.save();
  context.strokeStyle = context.fillStyle = stroke.colour;
  context.lineCap = context.lineJoin = "round";
  if (stroke.kind === "text") {
    context.font = `600 ${stroke.size}px system-ui, sans-serif`;
    context.textBaseline = "middle";
    context.fillText(stroke.text, stroke.at.x, stroke.at.y);
  } else {
    context.lineWidth = stroke.width;
    context.beginPath();
    if (stroke.kind === "pen") {
      const [first, ...rest] = stroke.points;
      if (first) context.moveTo(first.x, first.y);
      for (const point of rest) context.lineTo(point.x, point.y);
      if (rest.length === 0 && first) context.lineTo(first.x + 0.1, first.y);
    } else if (stroke.kind === "arrow") {
      arrow(context, stroke.from, stroke.to, stroke.width * 5);
    } else {
      const rx = Math.abs(stroke.to.x - stroke.from.x) / 2;
      const ry = Math.abs(stroke.to.y - stroke.from.y) / 2;
      context.ellipse(
        (stroke.from.x + stroke.to.x) / 2,
        (stroke.from.y + stroke.to.y) / 2,
        rx,
        ry,
        0,
        0,
        Math.PI * 2,
      );
    }
    context.stroke();
  }
  context.restore();
}

function arrow(context: CanvasRenderingContext2D, from: Point, to: Point, head: number): void {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  context.moveTo(from.x, from.y);
  context.lineTo(to.x, to.y);
  for (const side of [-1, 1]) {
    context.moveTo(to.x, to.y);
    context.lineTo(
      to.x - head * Math.cos(angle + (side * Math.PI) / 7),
      to.y - head * Math.sin(angle + (side * Math.PI) / 7),
    );
  }
}
