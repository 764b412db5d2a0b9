import { createHash } from "node:crypto";
import sharp, { type Sharp } from "sharp";

/** What an image is drawn from: the same scene always yields the same pixels. */
export interface Scene {
  prompt: string;
  /** Hashed for colours and shapes: prompt plus image index / turn, so siblings differ. */
  seed: string;
  width: number;
  height: number;
  transparent: boolean;
}

export interface RawPicture {
  data: Buffer;
  width: number;
  height: number;
  transparent: boolean;
}

export type RasterFormat = "png" | "jpeg" | "webp";

function hex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An SVG of the scene; `frame` moves and recolours the first shape for GIF animation. */
export function sceneSvg(scene: Scene, frame?: { index: number; count: number }): string {
  const { width: w, height: h } = scene;
  const b = createHash("sha512").update(scene.seed).digest();
  const at = (i: number) => b[i % b.length] ?? 0;
  const min = Math.min(w, h);
  const parts: string[] = [];
  if (!scene.transparent) {
    parts.push(
      `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${hex(at(0) * 1.41, 0.55, 0.35)}"/><stop offset="1" stop-color="${hex(at(1) * 1.41, 0.6, 0.6)}"/></linearGradient></defs>`,
      `<rect width="${w}" height="${h}" fill="url(#bg)"/>`,
    );
  }
  // Thin rays give the final image fine detail that the blurry partials visibly lack.
  const rays: string[] = [];
  for (let i = 0; i < 24; i++) {
    const angle = (i / 24) * Math.PI * 2 + at(2) / 40;
    rays.push(`M${w / 2} ${h / 2} L${w / 2 + Math.cos(angle) * w} ${h / 2 + Math.sin(angle) * h}`);
  }
  parts.push(
    `<path d="${rays.join(" ")}" stroke="${hex(at(3) * 1.41, 0.3, 0.85)}" stroke-width="${Math.max(1, min / 300)}" opacity="0.7"/>`,
  );
  for (let k = 0; k < 5; k++) {
    const o = 4 + k * 6;
    let cx = (at(o + 1) / 255) * w;
    let hue = at(o + 4) * 1.41;
    if (frame && k === 0) {
      cx = (cx + (frame.index / frame.count) * w) % w;
      hue = (hue + (frame.index * 360) / frame.count) % 360;
    }
    const cy = (at(o + 2) / 255) * h;
    const r = (0.08 + (at(o + 3) / 255) * 0.2) * min;
    const style = `fill="${hex(hue, 0.75, 0.55)}" stroke="#111" stroke-width="${Math.max(1, min / 250)}" opacity="${(0.65 + at(o + 5) / 730).toFixed(2)}"`;
    const kind = at(o) % 3;
    if (kind === 0) parts.push(`<circle cx="${cx}" cy="${cy}" r="${r}" ${style}/>`);
    else if (kind === 1)
      parts.push(
        `<rect x="${cx - r}" y="${cy - r * 0.7}" width="${2 * r}" height="${1.4 * r}" rx="${r * 0.15}" transform="rotate(${at(o + 5) % 90} ${cx} ${cy})" ${style}/>`,
      );
    else
      parts.push(
        `<polygon points="${cx},${cy - r} ${cx + r},${cy + r * 0.8} ${cx - r},${cy + r * 0.8}" ${style}/>`,
      );
  }
  const text = scene.prompt.length > 48 ? `${scene.prompt.slice(0, 47)}…` : scene.prompt;
  const size = Math.max(8, Math.min(h * 0.06, (w * 0.9) / (0.6 * Math.max(text.length, 8))));
  parts.push(
    `<rect x="0" y="${h - size * 2}" width="${w}" height="${size * 2}" fill="#000" opacity="0.45"/>`,
    `<text x="${w / 2}" y="${h - size * 0.65}" font-family="DejaVu Sans, sans-serif" font-size="${size}" text-anchor="middle" fill="#fff">${escapeXml(text)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join("")}</svg>`;
}

async function rawOf(image: Sharp): Promise<Buffer> {
  return image.ensureAlpha().raw().toBuffer();
}

/**
 * Renders the scene. For edits, the scene's shapes are drawn over the first input image, and a
 * mask limits them to its fully transparent area, so a test can see which pixels were edited.
 */
export async function renderRaw(scene: Scene, base?: Buffer, mask?: Buffer): Promise<RawPicture> {
  const { width, height, transparent } = scene;
  if (!base) {
    return { data: await rawOf(sharp(Buffer.from(sceneSvg(scene)))), width, height, transparent };
  }
  const layer = await rawOf(sharp(Buffer.from(sceneSvg({ ...scene, transparent: true }))));
  if (mask) {
    const alpha = await sharp(mask)
      .resize(width, height, { fit: "fill" })
      .ensureAlpha()
      .extractChannel(3)
      .raw()
      .toBuffer();
    for (let i = 0; i < alpha.length; i++) {
      layer[i * 4 + 3] = Math.round(((layer[i * 4 + 3] ?? 0) * (255 - (alpha[i] ?? 0))) / 255);
    }
  }
  const data = await rawOf(
    sharp(base)
      .resize(width, height, { fit: "cover" })
      .composite([{ input: layer, raw: { width, height, channels: 4 } }]),
  );
  return { data, width, height, transparent };
}

function fromRaw(raw: RawPicture): Sharp {
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 } });
}

function encodeWith(image: Sharp, format: RasterFormat, transparent: boolean, compression?: number) {
  // Opaque results carry no alpha channel, like the API's; transparent ones keep it.
  const img = transparent && format !== "jpeg" ? image : image.removeAlpha();
  if (format === "png") return img.png().toBuffer();
  if (format === "jpeg") return img.jpeg({ quality: Math.max(1, compression ?? 100) }).toBuffer();
  return img.webp({ quality: Math.max(1, compression ?? 100), effort: 0 }).toBuffer();
}

export function encode(raw: RawPicture, format: RasterFormat, compression?: number): Promise<Buffer> {
  return encodeWith(fromRaw(raw), format, raw.transparent, compression);
}

/**
 * A partial is the final seen through frosted glass: a thumbnail (16, 32, then 64 px on the long
 * side, the last partial always the sharpest) blown back up to full size.
 */
export async function encodePartial(
  raw: RawPicture,
  index: number,
  total: number,
  format: RasterFormat,
): Promise<Buffer> {
  const long = 16 * 2 ** (index + 3 - Math.min(3, Math.max(1, total)));
  const scale = long / Math.max(raw.width, raw.height);
  const thumb = await fromRaw(raw)
    .resize(Math.max(1, Math.round(raw.width * scale)), Math.max(1, Math.round(raw.height * scale)), {
      fit: "fill",
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const blown = sharp(thumb.data, {
    raw: { width: thumb.info.width, height: thumb.info.height, channels: 4 },
  }).resize(raw.width, raw.height, { fit: "fill", kernel: "cubic" });
  return encodeWith(blown, format, raw.transparent);
}

/** A real animated GIF: `frames` pages of the scene, the first shape travelling across. */
export async function renderGif(scene: Scene, frames: number, frameMs: number): Promise<Buffer> {
  const pages = await Promise.all(
    Array.from({ length: frames }, (_, index) =>
      sharp(Buffer.from(sceneSvg(scene, { index, count: frames })))
        .ensureAlpha()
        .raw()
        .toBuffer(),
    ),
  );
  const { width, height } = scene;
  return (
    sharp(Buffer.concat(pages), { raw: { width, height: height * frames, channels: 4, pageHeight: height } })
      // A small palette without dithering keeps encoding ~10x faster than libimagequant's default.
      .gif({
        delay: Array.from({ length: frames }, () => frameMs),
        loop: 0,
        effort: 1,
        colours: 32,
        dither: 0,
      })
      .toBuffer()
  );
}

export function renderSvg(scene: Scene): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${sceneSvg(scene)}\n`);
}
