import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGateway } from "./gateway.js";
import { DiscordHttpError, readRequest, sendError, sendJson, unauthorized } from "./http.js";
import { takeInjectedFailure } from "./injected-failures.js";
import { answerAuthorizePage } from "./oauth2-routes.js";
import { checkRateLimit, type RateLimitOptions } from "./rate-limits.js";
import { ROUTES } from "./rest-routes.js";
import { FakeWorld } from "./state.js";
import type { RecordedRequest } from "./types.js";

export interface FakeDiscordServerOptions {
  port?: number;
  host?: string;
  /** Bot token the fake accepts (REST `Authorization: Bot …` and gateway IDENTIFY). */
  token?: string;
  /**
   * Append every request as a JSON line `{method, path, headers, json, files}` to this file. Defaults to the
   * file named by `FAKE_DISCORD_RECORD`, so any test run (or `npm run fake:discord`) can be recorded.
   */
  recordFile?: string;
  /** The application may use MESSAGE_CONTENT (default false: IDENTIFY with it closes with 4014). */
  messageContentAllowed?: boolean;
  rateLimit?: Partial<RateLimitOptions>;
  /** The application's OAuth2 client secret (developer portal, OAuth2 tab); `fake-client-secret` by default. */
  clientSecret?: string;
  /**
   * `GET /gateway/bot`'s recommended shard count (1 by default), and the count below which IDENTIFY is refused
   * with 4011 (none by default).
   */
  shards?: { recommended?: number; required?: number };
  /** HELLO's heartbeat interval (Discord's 41250 ms by default; shorter to test heartbeats). */
  heartbeatIntervalMs?: number;
  /**
   * Sees each request before the fake and returns whether it answered it: the standalone fake's
   * `/_fake/imagine` (test/fakes/try-out.ts). Such requests are not Discord's API and are not recorded.
   */
  control?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface FakeDiscordServer {
  world: FakeWorld;
  gateway: FakeGateway;
  origin: string;
  close(): Promise<void>;
}

const API_PREFIX = /^\/api(\/v\d+)?(?=\/)/;

function record(file: string | undefined, request: RecordedRequest): void {
  if (file === undefined) return;
  const headers = { ...request.headers };
  if (headers.authorization) headers.authorization = "[redacted]";
  const json = request.json as Record<string, unknown> | undefined;
  const line = {
    method: request.method,
    path: request.path,
    headers,
    json: json?.client_secret === undefined ? (json ?? null) : { ...json, client_secret: "[redacted]" },
    files: request.files.map((file) => ({
      name: file.name,
      contentType: file.contentType,
      bytes: file.bytes,
    })),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

async function handle(
  world: FakeWorld,
  gateway: FakeGateway,
  options: FakeDiscordServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { request } = await readRequest(req);
  world.requests.push(request);
  record(options.recordFile, request);
  if (answerAuthorizePage(world, request, res)) return;
  const cdn = request.method === "GET" ? world.cdn.get(request.path) : undefined;
  if (cdn) {
    res.writeHead(200, { "content-type": cdn.contentType, "content-length": String(cdn.bytes.length) });
    res.end(cdn.bytes);
    request.status = 200;
    return;
  }
  const path = decodeURIComponent(request.path).replace(API_PREFIX, "");
  let params: string[] = [];
  const route = ROUTES.find((candidate) => {
    const match = candidate.method === request.method ? candidate.pattern.exec(path) : null;
    if (match) params = match.slice(1);
    return match !== null;
  });
  try {
    if (route === undefined || !API_PREFIX.test(request.path)) {
      throw new DiscordHttpError(404, 0, "404: Not Found");
    }
    if (route.bot && request.headers.authorization !== `Bot ${world.token}`) throw unauthorized();
    const injected = takeInjectedFailure(world, `${request.method} ${path}`);
    if (injected) throw injected;
    const verdict = checkRateLimit(
      world,
      { ...request, path },
      {
        limit: options.rateLimit?.limit ?? 5,
        windowMs: options.rateLimit?.windowMs ?? 1_000,
      },
    );
    if (verdict.limited) {
      request.status = 429;
      return sendJson(res, 429, verdict.body, verdict.headers);
    }
    const answer = await route.handler({ world, gateway, request, params });
    request.status = answer.status;
    sendJson(res, answer.status, answer.body, verdict.headers);
  } catch (error) {
    if (error instanceof DiscordHttpError) {
      request.status = error.status;
      return sendError(res, error);
    }
    request.status = 500;
    const message = `Fake Discord failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    sendJson(res, 500, { message, code: 0 });
  }
}

export async function startFakeDiscordServer(
  given: FakeDiscordServerOptions = {},
): Promise<FakeDiscordServer> {
  // Test tooling, not the app: the issue names this variable, so the fake reads it (src/ never does).
  const recordFromEnv = process.env.FAKE_DISCORD_RECORD;
  const options: FakeDiscordServerOptions = {
    ...(recordFromEnv ? { recordFile: recordFromEnv } : {}),
    ...given,
  };
  const host = options.host ?? "127.0.0.1";
  const world = new FakeWorld(options.token ?? "fake-bot-token.discord.test", {
    messageContentAllowed: options.messageContentAllowed ?? false,
    clientSecret: options.clientSecret ?? "fake-client-secret",
  });
  world.recommendedShards = options.shards?.recommended ?? 1;
  world.requiredShards = options.shards?.required;
  const gateway = new FakeGateway(world, options.heartbeatIntervalMs);
  const server = createServer((req, res) => {
    if (options.control?.(req, res)) return;
    handle(world, gateway, options, req, res).catch(() => res.destroy());
  });
  gateway.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  world.origin = `http://${host}:${port}`;
  return {
    world,
    gateway,
    origin: world.origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        gateway.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
