import { createHash } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { defaultBodyLimit, HTTPModuleFunctions, type HTTPReceiver, isValidSlackRequest } from "@slack/bolt";
import type { RedisClient } from "../../core/redis-slots.js";
import type { Logger } from "../../logger.js";

/** Slack's window: Bolt refuses a timestamp older than this, the guard one this far ahead, in seconds. */
export const SLACK_REQUEST_WINDOW_S = 5 * 60;

export interface ReplayGuardDeps {
  signingSecret: string;
  /** Shared by every bot process: a request replayed to another process is refused there too. */
  redis: RedisClient;
  queuePrefix: string;
  logger: Logger;
}

/** Where a signature seen is remembered until its request could no longer pass Bolt's staleness check. */
export const seenSignatureKey = (queuePrefix: string, signature: string) =>
  `${queuePrefix}:slack-seen:${createHash("sha256").update(signature).digest("hex")}`;

type Verdict = "pass" | "replayed" | "future" | "unavailable";

/**
 * What Bolt's HTTP receiver leaves open: it refuses a bad signature and a timestamp more than 5 minutes old, but
 * the same signed request sent again within those 5 minutes, or one dated ahead (which stays fresh for longer),
 * would run again. This screens every POST before Bolt: a timestamp more than 5 minutes ahead is refused, and a
 * valid signature is remembered in Redis until its request goes stale, so its second arrival is refused. Both
 * are answered as Bolt answers a bad signature (401, no body). Everything else goes on to Bolt untouched, which
 * verifies the signature again and refuses what is wrong in its own way.
 */
export function guardAgainstReplays(receiver: HTTPReceiver, deps: ReplayGuardDeps): void {
  const bolt: RequestListener = receiver.requestListener;
  const log = deps.logger.child({ component: "slack-http" });
  receiver.requestListener = (req, res) => {
    // Bolt's own routing (and its 404s) for everything that carries no signed body.
    if (req.method !== "POST") return bolt(req, res);
    screen(req, deps).then(
      (verdict) => {
        if (verdict === "pass") return passOn(bolt, req, res, log);
        if (verdict === "unavailable") return HTTPModuleFunctions.buildNoBodyResponse(res, 503);
        // The signature itself is never logged: within its window it would let a reader replay the request.
        log.warn(
          { timestamp: req.headers["x-slack-request-timestamp"], remote: req.socket.remoteAddress },
          verdict === "replayed"
            ? "refused a Slack request already received (a replay)"
            : "refused a Slack request dated more than 5 minutes ahead",
        );
        HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      },
      (error: unknown) => refuseUnreadable(error, res, log),
    );
  };
}

async function screen(req: IncomingMessage, deps: ReplayGuardDeps): Promise<Verdict> {
  const body = (await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit)).rawBody.toString();
  const signature = req.headers["x-slack-signature"];
  const timestamp = Number(req.headers["x-slack-request-timestamp"]);
  // Unsigned (Slack's ssl_check) or malformed: Bolt decides, as it always did.
  if (typeof signature !== "string" || !Number.isFinite(timestamp)) return "pass";
  const nowS = Date.now() / 1000;
  if (timestamp > nowS + SLACK_REQUEST_WINDOW_S) return "future";
  // Only a valid signature is remembered: a forger must not fill Redis, nor pre-empt a genuine request.
  const headers = { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp };
  if (!isValidSlackRequest({ signingSecret: deps.signingSecret, body, headers })) return "pass";
  // Kept until Bolt would refuse the request as stale anyway (a second past, for its rounding).
  const ttlMs = Math.max(1_000, Math.ceil((timestamp + SLACK_REQUEST_WINDOW_S + 1 - nowS) * 1000));
  try {
    const first = await deps.redis.set(seenSignatureKey(deps.queuePrefix, signature), "1", "PX", ttlMs, "NX");
    return first === "OK" ? "pass" : "replayed";
  } catch (error) {
    deps.logger.error({ err: error }, "slack request not checked for a replay: Redis did not answer");
    return "unavailable";
  }
}

/** Bolt's listener throws only for a path it does not serve; its own server would answer that 404. */
function passOn(bolt: RequestListener, req: IncomingMessage, res: ServerResponse, log: Logger): void {
  try {
    bolt(req, res);
  } catch (error) {
    log.debug({ err: error, path: req.url }, "slack receiver has no route");
    if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 404);
  }
}

/** A body too large or cut off, answered as Bolt answers it (413, else 401). */
function refuseUnreadable(error: unknown, res: ServerResponse, log: Logger): void {
  const tooLarge =
    HTTPModuleFunctions.isRawBodyError(error) &&
    (error.type === "entity.too.large" || error.statusCode === 413);
  log.warn({ err: error }, tooLarge ? "slack request body too large" : "slack request body unreadable");
  if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, tooLarge ? 413 : 401);
}
