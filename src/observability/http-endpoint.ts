import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { Logger } from "../logger.js";
import { registry } from "../metrics.js";
import { cachedReadiness, type Readiness, type ReadinessCheck } from "./readiness-cache.js";
import { sameSecret } from "./same-secret.js";

export type { ReadinessCheck } from "./readiness-cache.js";

export interface HttpEndpointOptions {
  port: number;
  host: string;
  checks: ReadinessCheck[];
  /** `METRICS_TOKEN`: set, `/metrics` answers only `Authorization: Bearer <token>`, others get 401. */
  metricsToken?: string | undefined;
  /** More Prometheus text after the registry's (BullMQ's job counts); left out when it fails. */
  moreMetrics?: () => Promise<string>;
  /**
   * The metrics of other threads of this process (`registry.getMetricsAsJSON()` there: `npm start`'s worker
   * thread), summed with this thread's into one exposition.
   */
  threadMetrics?: () => Promise<MetricObjectWithValues<MetricValue<string>>[][]>;
  /** Handlers of their own for a path and everything under it (the queue dashboard, links to originals). */
  mounts?: Mount[];
  logger: Logger;
}

export interface Mount {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface HttpEndpoint {
  /** The port it listens on (the one picked when the configured port is 0). */
  port: number;
  /** The address it listens on (`HTTP_HOST`). */
  address: string;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process answers), `/readyz` (Redis, the platforms and storage work: 200, else 503 naming
 * what failed) and `/metrics` (Prometheus text), on every bot and worker process, for an orchestrator's
 * probes and a Prometheus scrape; and the mounts the configuration asks for. Nothing else is served.
 */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpoint> {
  const readiness = cachedReadiness(options.checks);
  const server = createServer((req, res) => {
    route(req, res, { ...options, readiness }).catch((error: unknown) => {
      options.logger.error({ err: error, path: req.url }, "http endpoint failed");
      if (!res.headersSent) send(res, 500, "text/plain", "internal error\n");
      else res.destroy();
    });
  });
  // Idle connections outlive a proxy's (nginx and load balancers keep theirs 60 s): a connection the server
  // closes just as the proxy or a browser reuses it is reset, and the studio's upload on it lost.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await listen(server, options.port, options.host);
  const { port, address } = server.address() as AddressInfo;
  options.logger.info({ port, address }, "health and metrics endpoint listening");
  return {
    port,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** How long an idle kept-alive connection stays open. */
const KEEP_ALIVE_MS = 65_000;

type Served = HttpEndpointOptions & { readiness: () => Promise<Readiness> };

async function route(req: IncomingMessage, res: ServerResponse, options: Served): Promise<void> {
  const path = new URL(req.url ?? "/", "http://endpoint").pathname;
  const mount = options.mounts?.find(
    (candidate) => path === candidate.path || path.startsWith(`${candidate.path}/`),
  );
  if (mount) return mount.handle(req, res);
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "GET only\n");
  if (path === "/healthz") return send(res, 200, "application/json", JSON.stringify({ status: "ok" }));
  if (path === "/readyz") {
    const readiness = await options.readiness();
    return send(res, readiness.ready ? 200 : 503, "application/json", JSON.stringify(readiness));
  }
  if (path === "/metrics") {
    if (!allowedToScrape(req, options.metricsToken)) {
      res.setHeader("www-authenticate", 'Bearer realm="imagine-bot metrics"');
      return send(res, 401, "text/plain", "send METRICS_TOKEN as Authorization: Bearer <token>\n");
    }
    const more = await options.moreMetrics?.().catch((error: unknown) => {
      options.logger.warn({ err: error }, "queue metrics left out");
      return "";
    });
    const text = `${await threadsMetrics(options)}${more ? `\n${more}\n` : ""}`;
    return send(res, 200, registry.contentType, text);
  }
  return send(res, 404, "text/plain", "not found\n");
}

/** This thread's registry, with the other threads' summed in when there are any (and they answer). */
async function threadsMetrics(options: HttpEndpointOptions): Promise<string> {
  if (options.threadMetrics === undefined) return registry.metrics();
  const others = await options.threadMetrics().catch((error: unknown) => {
    options.logger.warn({ err: error }, "worker thread metrics left out");
    return [];
  });
  return AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), ...others]).metrics();
}

/** No token configured: open, as before METRICS_TOKEN existed; else the bearer token, compared in constant time. */
function allowedToScrape(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const [scheme, given] = (req.headers.authorization ?? "").split(" ");
  return scheme?.toLowerCase() === "bearer" && sameSecret(given ?? "", token);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
