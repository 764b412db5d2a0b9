import { h } from "./dom.js";
import { sentences } from "./sentences.js";

/** An input: a file the person dropped, or a final of one of their runs ("Edit this image"). */
export type InputImage =
  | { kind: "file"; file: File; url: string }
  | { kind: "run"; runId: string; image: number; url: string };

/** The images a run edits, in order: refuses past the limits before anything is sent. */
export class InputImages {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private items: InputImage[] = [];

  constructor(
    private readonly limits: { maxImages: number; maxFileBytes: number },
    private readonly onChange: (first: InputImage | undefined) => void,
    private readonly refuse: (sentence: string) => void,
  ) {
    const picker = h("input", {
      type: "file",
      accept: "image/*",
      multiple: true,
      id: "image-picker",
      class: "visually-hidden",
    });
    picker.addEventListener("change", () => {
      this.add([...(picker.files ?? [])]);
      picker.value = "";
    });
    this.list = h("ul", { class: "inputs" });
    const zone = h(
      "label",
      { class: "drop", for: "image-picker", id: "drop-zone" },
      h("strong", {}, "Drop images to edit"),
      h("span", {}, ` or pick up to ${limits.maxImages}; paint on the first.`),
    );
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      this.add([...(event.dataTransfer?.files ?? [])]);
    });
    this.element = h("div", { class: "input-images" }, picker, zone, this.list);
  }

  get all(): readonly InputImage[] {
    return this.items;
  }

  /** Adds dropped files, or none of them when one is refused (one sentence, nothing kept). */
  add(files: File[]): void {
    const refusal = this.refusal(files);
    if (refusal !== undefined) {
      this.refuse(refusal);
      return;
    }
    const added = files.map((file): InputImage => ({ kind: "file", file, url: URL.createObjectURL(file) }));
    this.set([...this.items, ...added]);
  }

  private refusal(files: File[]): string | undefined {
    const count = this.items.length + files.length;
    if (count > this.limits.maxImages) return sentences.tooManyImages(count, this.limits.maxImages);
    for (const file of files) {
      if (!looksLikeImage(file)) return sentences.notAnImage(file);
      if (file.size > this.limits.maxFileBytes) return sentences.tooLarge(file, this.limits.maxFileBytes);
    }
    return undefined;
  }

  /** "Edit this image": a final of a run becomes the first input. */
  useRunImage(runId: string, image: number, url: string): void {
    this.set([{ kind: "run", runId, image, url }, ...this.items.filter((item) => item.kind === "file")]);
  }

  clear(): void {
    this.set([]);
  }

  private set(items: InputImage[]): void {
    for (const old of this.items)
      if (old.kind === "file" && !items.includes(old)) URL.revokeObjectURL(old.url);
    this.items = items;
    this.list.replaceChildren(
      ...items.map((item, index) =>
        h(
          "li",
          {},
          h("img", { src: item.url, alt: `Input ${index + 1}` }),
          h("span", { class: "badge" }, index === 0 ? "1 · paint" : String(index + 1)),
          h(
            "button",
            {
              type: "button",
              class: "remove",
              "aria-label": `Remove input ${index + 1}`,
              onclick: () => this.set(items.filter((other) => other !== item)),
            },
            "×",
          ),
        ),
      ),
    );
    this.onChange(items[0]);
  }
}

/** Some browsers give HEIC, AVIF or TIFF files no type at all: their names say what they are. */
const IMAGE_NAMES = /\.(heic|heif|avif|tiff?|bmp)$/i;

function looksLikeImage(file: File): boolean {
  return file.type.startsWith("image/") || (file.type === "" && IMAGE_NAMES.test(file.name));
}
