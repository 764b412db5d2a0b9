import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import express, { type NextFunction, type Request, type Response } from "express";
import type { DashboardConfig } from "../config/types.js";
import type { ImagineQueue } from "../queue/imagine-queue.js";
import { sameSecret } from "./same-secret.js";

export const DASHBOARD_PATH = "/dashboard";

/**
 * Bull Board for every queue (one per platform, and the old shared one) under `/dashboard`, behind HTTP basic auth: what waits, runs, failed and why, for
 * the operator. A request handler for the health endpoint's server, which mounts it only when
 * DASHBOARD_USER and DASHBOARD_PASSWORD are set.
 */
export function dashboardHandler(
  queues: readonly ImagineQueue[],
  config: DashboardConfig,
): (req: IncomingMessage, res: ServerResponse) => void {
  const board = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map(
      (queue) => new BullMQAdapter(queue, { readOnlyMode: config.readOnly, allowRetries: !config.readOnly }),
    ),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: "imagine-bot" } },
  });
  const app = express();
  app.disable("x-powered-by");
  app.use(DASHBOARD_PATH, basicAuth(config), board.getRouter());
  return (req, res) => app(req, res);
}

/** Every request, the page's scripts and API calls included, carries the credentials or gets 401. */
function basicAuth({ user, password }: DashboardConfig) {
  const expected = `${user}:${password}`;
  return (req: Request, res: Response, next: NextFunction) => {
    const [scheme, encoded] = (req.headers.authorization ?? "").split(" ");
    const given = scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8") : "";
    if (sameSecret(given, expected)) return next();
    res
      .status(401)
      .set("WWW-Authenticate", 'Basic realm="imagine-bot queue", charset="UTF-8"')
      .type("text/plain")
      .send("sign in with DASHBOARD_USER and DASHBOARD_PASSWORD\n");
  };
}
