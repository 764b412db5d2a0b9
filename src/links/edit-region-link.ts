import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { userError } from "../core/errors.js";

/** What the link is for: a link signed for anything else is refused here, whatever its signature. */
export const EDIT_REGION_PURPOSE = "edit-region";

/** How long a person has between pressing Edit region and submitting the page. */
export const EDIT_REGION_LINK_MS = 15 * 60 * 1000;

/** The studio's route for the links (`src/platforms/web/studio-api.ts`). */
export const EDIT_REGION_PATH = "/studio/edit-region";

const LinkUserSchema = z.object({
  platform: z.enum(["discord", "slack"]),
  id: z.string().min(1),
  workspace: z.string().min(1).optional(),
});

/**
 * Where the edit goes back to: the chat message of the result (Discord: its channel, which may be a thread;
 * Slack: its channel, its ts and the thread it sits in or starts).
 */
const ReturnPlaceSchema = z.object({
  platform: z.enum(["discord", "slack"]),
  channel: z.string().min(1),
  message: z.string().min(1),
  thread: z.string().min(1).optional(),
});

const EditRegionLinkSchema = z.object({
  purpose: z.string(),
  runId: z.string().min(1),
  image: z.number().int().min(0),
  user: LinkUserSchema,
  place: ReturnPlaceSchema,
  /** Unix milliseconds. */
  expires: z.number().int(),
  /** Taken once when the page's edit is submitted (`takeEditRegionLink`). */
  nonce: z.string().min(16),
});

export type LinkUser = z.infer<typeof LinkUserSchema>;
export type ReturnPlace = z.infer<typeof ReturnPlaceSchema>;
export type EditRegionLink = z.infer<typeof EditRegionLinkSchema>;

/** What the press knows; the rest (purpose, expiry, nonce) the signer adds. */
export type EditRegionAsk = Pick<EditRegionLink, "runId" | "image" | "user" | "place">;

/**
 * The link on the wire: its fields in a fixed order, without their names (the place's platform is the person's),
 * so a Discord link with a thread still fits a link button's 512 characters. Expiry in seconds.
 */
const WireSchema = z.tuple([
  z.string(),
  z.string(),
  z.number(),
  z.string(),
  z.string(),
  z.string().nullable(),
  z.string(),
  z.string(),
  z.string().nullable(),
  z.number(),
  z.string(),
]);

function toWire(link: EditRegionLink): z.infer<typeof WireSchema> {
  const { purpose, runId, image, user, place, expires, nonce } = link;
  const [workspace, thread] = [user.workspace ?? null, place.thread ?? null];
  const seconds = Math.floor(expires / 1000);
  return [
    purpose,
    runId,
    image,
    user.platform,
    user.id,
    workspace,
    place.channel,
    place.message,
    thread,
    seconds,
    nonce,
  ];
}

/** The link a verified body names, checked field by field; undefined for anything else. */
function fromWire(json: unknown): EditRegionLink | undefined {
  const wire = WireSchema.safeParse(json);
  if (!wire.success) return undefined;
  const [purpose, runId, image, platform, id, workspace, channel, message, thread, seconds, nonce] =
    wire.data;
  const link = EditRegionLinkSchema.safeParse({
    purpose,
    runId,
    image,
    user: { platform, id, ...(workspace === null ? {} : { workspace }) },
    place: { platform, channel, message, ...(thread === null ? {} : { thread }) },
    expires: seconds * 1000,
    nonce,
  });
  return link.success ? link.data : undefined;
}

const mac = (secret: string, body: string) =>
  createHmac("sha256", secret).update(`${EDIT_REGION_PURPOSE}-link\n${body}`).digest();

/** `<payload>.<signature>`, both base64url: short enough for a Discord link button's 512-character URL. */
export function signEditRegionLink(secret: string, ask: EditRegionAsk, now = Date.now()): string {
  const link: EditRegionLink = {
    purpose: EDIT_REGION_PURPOSE,
    ...ask,
    expires: now + EDIT_REGION_LINK_MS,
    nonce: randomBytes(12).toString("base64url"),
  };
  const body = Buffer.from(JSON.stringify(toWire(link))).toString("base64url");
  return `${body}.${mac(secret, body).toString("base64url")}`;
}

/** `<PUBLIC_BASE_URL>/studio/edit-region?link=…`; a base with a path keeps it, as the originals' links do. */
export function editRegionUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${EDIT_REGION_PATH}?link=${encodeURIComponent(token)}`;
}

/**
 * The link a token carries, checked: signed with `secret`, made for Edit region, not expired at `now`. Opening
 * it checks no more (opening twice is fine); submitting also checks the person and takes the nonce.
 * @throws `UserError` `link_invalid`, `link_other_purpose` or `link_expired`.
 */
export function readEditRegionLink(secret: string, token: string, now = Date.now()): EditRegionLink {
  const [body = "", signature = "", extra] = token.split(".");
  // Compared as text: base64url decoding ignores a last character's spare bits, so two texts would pass.
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(secret, body).toString("base64url"));
  if (extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw userError("link_invalid");
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw userError("link_invalid");
  }
  const link = fromWire(json);
  if (link === undefined) throw userError("link_invalid");
  if (link.purpose !== EDIT_REGION_PURPOSE) throw userError("link_other_purpose");
  if (link.expires <= now) throw userError("link_expired");
  return link;
}

/**
 * The person the link was made for, as the studio knows them: the same chat account (and Slack workspace: a
 * Discord sign-in names no server, so a Discord link's server is not compared).
 * @throws `UserError` `link_other_person` for anyone else.
 */
export function requireLinkPerson(
  link: EditRegionLink,
  person: { platform: string; id: string; workspace?: string | undefined },
): void {
  const same =
    person.platform === link.user.platform &&
    person.id === link.user.id &&
    (link.user.platform !== "slack" || person.workspace === link.user.workspace);
  if (!same) throw userError("link_other_person");
}

/** A SET NX's answer; the store is anything that answers it (ioredis). */
interface NonceStore {
  set(key: string, value: string, px: "PX", ms: number, nx: "NX"): Promise<"OK" | null>;
}

export const linkNonceKey = (prefix: string, nonce: string) => `${prefix}:edit-region-link:${nonce}`;

/**
 * Takes the link's nonce for its one submit, kept until the link expires (after that the expiry refuses it).
 * @throws `UserError` `link_used` when it was taken before.
 */
export async function takeEditRegionLink(
  redis: NonceStore,
  prefix: string,
  link: EditRegionLink,
  now = Date.now(),
): Promise<void> {
  const ttl = Math.max(1, link.expires - now);
  const taken = await redis.set(linkNonceKey(prefix, link.nonce), link.runId, "PX", ttl, "NX");
  if (taken !== "OK") throw userError("link_used");
}

/** Gives the nonce back when the submit was refused before anything was queued: the person may fix it and retry. */
export async function releaseEditRegionLink(
  redis: { del(key: string): Promise<number> },
  prefix: string,
  link: EditRegionLink,
): Promise<void> {
  await redis.del(linkNonceKey(prefix, link.nonce));
}

/** Whether the link's one submit was taken (the page opened from it again says nothing of it then). */
export async function editRegionLinkUsed(
  redis: { exists(key: string): Promise<number> },
  prefix: string,
  link: EditRegionLink,
): Promise<boolean> {
  return (await redis.exists(linkNonceKey(prefix, link.nonce))) > 0;
}
