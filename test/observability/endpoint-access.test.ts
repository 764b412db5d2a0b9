import { networkInterfaces } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/logger.js";
import { type HttpEndpoint, startHttpEndpoint } from "../../src/observability/http-endpoint.js";

/**
 * Who reaches the health and metrics endpoint: this machine only unless HTTP_HOST says otherwise, and `/metrics`
 * only with METRICS_TOKEN when one is set. The endpoint as `startProcess` starts it, from the loaded config.
 */
const lines: string[] = [];
const logger = createLogger("trace", { write: (line: string) => void lines.push(line) });
let endpoint: HttpEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  lines.length = 0;
});

async function start(env: Record<string, string>): Promise<HttpEndpoint> {
  const config = loadConfig({ OPENAI_API_KEY: "sk-test", HTTP_PORT: "0", ...env });
  if (config.http === undefined) throw new Error("no HTTP endpoint configured");
  // Logged the way a careless line would: the whole endpoint config.
  logger.info({ http: config.http }, "endpoint config");
  endpoint = await startHttpEndpoint({ ...config.http, checks: [], logger });
  return endpoint;
}

function metrics(port: number, authorization?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/metrics`, authorization ? { headers: { authorization } } : {});
}

/** An address of this machine that is not loopback, when it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((info) => info && info.family === "IPv4" && !info.internal)?.address;
}

describe("the endpoint's address", () => {
  it("listens on 127.0.0.1 unless HTTP_HOST says otherwise, so another machine cannot reach it", async () => {
    const { port, address } = await start({});
    expect(address).toBe("127.0.0.1");
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const external = externalAddress();
    if (external !== undefined)
      await expect(fetch(`http://${external}:${port}/healthz`)).rejects.toThrow(/fetch failed/);
  });

  it("listens on every interface with HTTP_HOST=0.0.0.0, as compose sets it inside its network", async () => {
    const { port, address } = await start({ HTTP_HOST: "0.0.0.0" });
    expect(address).toBe("0.0.0.0");
    const external = externalAddress();
    if (external !== undefined) expect((await fetch(`http://${external}:${port}/healthz`)).status).toBe(200);
  });
});

describe("/metrics with METRICS_TOKEN", () => {
  const token = "metrics-token-0123456789abcdef";

  it("answers 401 without the bearer token, or with a wrong one, and the metrics with it", async () => {
    const { port } = await start({ METRICS_TOKEN: token });
    for (const authorization of [
      undefined,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Basic ${token}`,
      "Bearer ",
    ]) {
      const response = await metrics(port, authorization);
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await response.text()).not.toContain("process_cpu");
    }
    const allowed = await metrics(port, `Bearer ${token}`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("process_cpu_seconds_total");
    // The other paths stay open: an orchestrator's probes carry no token.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(lines.join("\n")).not.toContain(token);
  });

  it("serves the metrics to anyone when METRICS_TOKEN is not set, as before it existed", async () => {
    const { port } = await start({ METRICS_TOKEN: "" });
    const response = await metrics(port);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("process_cpu_seconds_total");
  });
});
