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
  const body = Buffer.from(JSON.stringify(link)).toString("base64url");
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
  const given = Buffer.from(signature, "base64url");
  const expected = mac(secret, body);
  if (extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw userError("link_invalid");
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw userError("link_invalid");
  }
  const parsed = EditRegionLinkSchema.safeParse(json);
  if (!parsed.success) throw userError("link_invalid");
  if (parsed.data.purpose !== EDIT_REGION_PURPOSE) throw userError("link_other_purpose");
  if (parsed.data.expires <= now) throw userError("link_expired");
  return parsed.data;
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
