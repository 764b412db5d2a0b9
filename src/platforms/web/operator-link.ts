import { createHash, randomBytes } from "node:crypto";
import type { RedisClient } from "../../core/redis-slots.js";
import type { StudioUser } from "./studio-api.js";

/** Who the one-time link signs in: the operator who started the studio, an admin of it. */
export const OPERATOR: StudioUser = { platform: "web", id: "operator", name: "Operator", admin: true };

/** A link printed at start but never opened stops working after a day; the next start prints a new one. */
const LINK_TTL_SECONDS = 24 * 60 * 60;

export const OPERATOR_LINK_PATH = "/studio/auth/once";

const hashed = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Single-operator mode's sign-in: a random token, kept in Redis only as its hash (a Redis dump opens nothing),
 * taken with GETDEL, so it works once whichever process of the studio answers it.
 */
export class OperatorLinks {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(token: string): string {
    return `${this.prefix}:studio:once:${hashed(token)}`;
  }

  /** A new link's token (the caller prints `<base>/studio/auth/once?token=…`). */
  async create(): Promise<string> {
    const token = randomBytes(32).toString("base64url");
    await this.redis.set(this.key(token), "operator", "EX", LINK_TTL_SECONDS);
    return token;
  }

  /** Whether the token was one of ours and unused; it is used up either way. */
  async use(token: string): Promise<boolean> {
    if (token === "") return false;
    return (await this.redis.getdel(this.key(token))) !== null;
  }
}

/** Where people reach the studio: `PUBLIC_BASE_URL`, else the endpoint's own address. */
export function studioBaseUrl(publicBaseUrl: string | undefined, host: string, port: number): string {
  if (publicBaseUrl !== undefined) return publicBaseUrl.replace(/\/+$/, "");
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}
