import { Writable } from "node:stream";
import { inspect } from "node:util";
import { webApi } from "@slack/bolt";
import { DiscordAPIError, HTTPError } from "discord.js";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load.js";
import { userError } from "../src/core/errors.js";
import { scrubSecrets, serializeError } from "../src/log-safety.js";
import { createLogger } from "../src/logger.js";

const TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA-_abc";
const SLACK_TOKEN = "xoxb-1234-5678-SeCrEtSlAcKtOkEn";
const S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYS3cReTkEy";
const PRESIGNED_SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
const EDIT_URL = `https://discord.com/api/v10/webhooks/111111111111111111/${TOKEN}/messages/@original`;
const CALLBACK_URL = `https://discord.com/api/v10/interactions/222222222222222222/${TOKEN}/callback`;
/** Not a real PNG, but starts like one: the signature is what a leaked Buffer shows first. */
const PNG = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), Buffer.alloc(600, 7)]);

/** A Discord edit with a file, refused with a 400, as @discordjs/rest throws it. */
const refusedEdit = () =>
  new DiscordAPIError(
    {
      message: "Invalid Form Body",
      code: 50035,
      errors: { content: { _errors: [{ code: "X", message: "bad" }] } },
    },
    50035,
    400,
    "PATCH",
    EDIT_URL,
    { files: [{ name: "partial_0.png", data: PNG }], body: { content: "Drawing…" } },
  );

function captured(log: (logger: ReturnType<typeof createLogger>) => void): string {
  let text = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  log(createLogger("info", sink));
  return text;
}

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(SLACK_TOKEN);
  expect(text).not.toContain("137,80,78,71");
  expect(text).not.toContain('"type":"Buffer"');
  expect(text).not.toContain(PNG.toString("base64").slice(0, 12));
  expect(text).not.toContain("Drawing…");
}

describe("serializeError", () => {
  it("keeps what explains a Discord failure and rewrites the token in its URL", () => {
    const out = serializeError(refusedEdit()) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: "DiscordAPIError",
      code: 50035,
      status: 400,
      method: "PATCH",
      url: "https://discord.com/api/v10/webhooks/111111111111111111/[token]/messages/@original",
    });
    expect(out.message).toMatch(/^Invalid Form Body\ncontent\[X\]: bad$/);
    expect(out.stack).toMatch(/^DiscordAPIError\[50035\]: Invalid Form Body/);
    expect(out).not.toHaveProperty("requestBody");
    expectNoSecrets(JSON.stringify(out));
  });

  it("serializes causes the same way, and stops at a cycle", () => {
    const http = new HTTPError(503, "Service Unavailable", "POST", CALLBACK_URL, {
      files: [{ name: "a.png", data: new Uint8Array(PNG) }],
      body: { type: 4 },
    });
    const failure = userError("internal_error", { cause: http });
    (http as { cause?: unknown }).cause = failure;
    const out = serializeError(failure) as { code: string; cause: Record<string, unknown> };
    expect(out.code).toBe("internal_error");
    expect(out.cause).toMatchObject({
      type: "HTTPError",
      status: 503,
      url: "https://discord.com/api/v10/interactions/222222222222222222/[token]/callback",
      cause: "[repeated]",
    });
    expectNoSecrets(JSON.stringify(out));
  });

  it("rewrites tokens inside messages and stacks", () => {
    const error = new TypeError(
      `fetch failed for ${EDIT_URL} with Bot MTIzNDU2.Gh1jK2.abcdefghijklmnop and ${SLACK_TOKEN}`,
    );
    const out = serializeError(error) as { message: string; stack: string };
    expect(out.message).toBe(
      "fetch failed for https://discord.com/api/v10/webhooks/111111111111111111/[token]/messages/@original " +
        "with Bot [redacted] and [redacted]",
    );
    expect(out.stack).not.toContain(TOKEN);
    expect(out.stack).not.toContain("MTIzNDU2");
  });

  it("never prints bytes: buffers, typed arrays, array buffers, number arrays and base64 runs", () => {
    const error = Object.assign(new Error("upload failed"), {
      buffer: PNG,
      view: new Uint8Array(PNG),
      raw: PNG.buffer,
      asJson: PNG.toJSON(),
      asText: PNG.toString("base64"),
      sizes: [1024, 1024],
    });
    const out = serializeError(error) as Record<string, unknown>;
    expect(out).toMatchObject({
      buffer: `[${PNG.length} bytes]`,
      view: `[${PNG.length} bytes]`,
      asJson: { type: "Buffer", data: `[${PNG.length} numbers]` },
      asText: "[base64 elided]",
      sizes: [1024, 1024],
    });
    expect(out.raw).toMatch(/^\[\d+ bytes\]$/);
  });

  it("drops what a Slack request error wraps: axios's config with the token and the upload", () => {
    const axiosError = Object.assign(new Error("socket hang up"), {
      code: "ECONNRESET",
      config: { headers: { Authorization: `Bearer ${SLACK_TOKEN}` }, data: PNG },
      request: { path: "/api/files.completeUploadExternal" },
    });
    const out = serializeError(new webApi.WebAPIRequestError(axiosError)) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: "WebAPIRequestError",
      code: "slack_webapi_request_error",
      cause: { type: "Error", message: "socket hang up", code: "ECONNRESET" },
      original: "[repeated]",
    });
    expect(out.cause).not.toHaveProperty("config");
    expect(out.cause).not.toHaveProperty("request");
    expectNoSecrets(JSON.stringify(out));
  });

  it("leaves plain values alone and scrubs strings thrown as they are", () => {
    expect(serializeError(42)).toBe(42);
    expect(serializeError(undefined)).toBeUndefined();
    expect(serializeError(`refused: ${CALLBACK_URL}`)).toBe(
      "refused: https://discord.com/api/v10/interactions/222222222222222222/[token]/callback",
    );
    expect(scrubSecrets("Bot token missing")).toBe("Bot token missing");
    expect(scrubSecrets("body: grant_type=authorization_code&client_secret=s3cr3t&code=c")).not.toContain(
      "s3cr3t",
    );
  });
});

describe("Slack's response_url and envelope token in logged text", () => {
  const url = "https://hooks.slack.com/commands/T0FAKE0001/1234567890/AbCdEfGhIjKlMnOp";
  const envelope = {
    envelope_id: "e1",
    payload: { token: "Vq9verification", response_url: url, text: "a fox" },
  };

  it("rewrites them as JSON, as an inspected object, as form fields and as URL-encoded JSON", () => {
    const spellings = [
      JSON.stringify(envelope),
      JSON.stringify(envelope).replaceAll("/", "\\/"),
      inspect(envelope, { depth: 5 }),
      new URLSearchParams({ token: "Vq9verification", response_url: url, text: "a fox" }).toString(),
      new URLSearchParams({ payload: JSON.stringify(envelope.payload) }).toString(),
      `posting a fox to ${url} failed`,
    ];
    for (const text of spellings) {
      const scrubbed = scrubSecrets(text);
      expect(scrubbed, text).not.toContain("Vq9verification");
      expect(scrubbed, text).not.toContain("AbCdEfGhIjKlMnOp");
      expect(scrubbed, text).not.toContain("1234567890");
      expect(scrubbed, text).toMatch(/a(\+|%20| )fox/);
    }
  });

  it("rewrites the ticket of a Socket Mode WebSocket URL, and leaves token counts alone", () => {
    expect(scrubSecrets("connecting to wss://wss-primary.slack.com/link/?ticket=a1b2c3d4&app_id=A0F")).toBe(
      "connecting to wss://wss-primary.slack.com/link/?ticket=[redacted]&app_id=A0F",
    );
    const usage = '{"input_tokens":120,"output_tokens":4160,"total_tokens":4280}';
    expect(scrubSecrets(usage)).toBe(usage);
  });
});

describe("the logger", () => {
  it("serializes errors under `err`, logged alone, and under any other key", () => {
    const text = captured((logger) => {
      logger.warn({ err: refusedEdit(), jobId: "j1" }, "intermediate render failed");
      logger.error(refusedEdit(), "logged alone");
      logger.error({ failure: refusedEdit() }, "under another key");
    });
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(text.match(/\/webhooks\/111111111111111111\/\[token\]\/messages\//g)).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ jobId: "j1", err: { code: 50035, status: 400 } });
    expectNoSecrets(text);
  });
});

describe("S3 storage in logs", () => {
  it("censors S3_SECRET_ACCESS_KEY in a logged storage config or client credentials", () => {
    const { storage } = loadConfig({
      OPENAI_API_KEY: "sk-test",
      S3_BUCKET: "imagine-runs",
      S3_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      S3_SECRET_ACCESS_KEY: S3_SECRET,
    });
    if (storage.kind !== "s3" || storage.credentials === undefined) throw new Error("no S3 credentials");
    const text = captured((logger) => {
      logger.info({ storage }, "storage");
      logger.info(storage, "storage alone");
      logger.info({ credentials: storage.credentials }, "credentials");
      logger.info({ client: { credentials: storage.credentials } }, "a client's options");
    });
    expect(text.trim().split("\n")).toHaveLength(4);
    expect(text).toContain("imagine-runs");
    expect(text).not.toContain(S3_SECRET);
  });

  it("rewrites the signature of a presigned link, which opens the object for anyone until it expires", () => {
    const url = `http://127.0.0.1:9000/imagine-runs/runs/r/final_0.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261204T195201Z&X-Amz-Expires=60&X-Amz-Security-Token=FwoGZXIvYXdzEBYaDk&X-Amz-Signature=${PRESIGNED_SIGNATURE}&X-Amz-SignedHeaders=host`;
    const out = serializeError(new Error(`fetch ${url} failed`)) as { message: string };
    expect(out.message).toContain("X-Amz-Signature=[redacted]&X-Amz-SignedHeaders=host");
    expect(out.message).toContain("X-Amz-Security-Token=[redacted]&");
    expect(out.message).not.toContain(PRESIGNED_SIGNATURE);
  });
});
