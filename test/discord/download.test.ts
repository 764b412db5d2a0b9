import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_DOWNLOAD_POLICY,
  type DownloadPolicy,
  downloadAttachment,
  isAllowedUrl,
} from "../../src/platforms/discord/download.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";

let fake: FakeDiscord;
let policy: DownloadPolicy;
beforeAll(async () => {
  fake = await startFakeDiscord();
  policy = { ...DEFAULT_DOWNLOAD_POLICY, extraOrigins: [fake.origin], maxBytes: 1000 };
});
afterAll(() => fake.close());

describe("attachment downloads", () => {
  it("allow only Discord's CDN hosts over https (and a test origin only when named explicitly)", () => {
    expect(
      isAllowedUrl("https://cdn.discordapp.com/attachments/1/2/a.png?ex=1", DEFAULT_DOWNLOAD_POLICY),
    ).toBe(true);
    expect(isAllowedUrl("https://media.discordapp.net/attachments/1/2/a.png", DEFAULT_DOWNLOAD_POLICY)).toBe(
      true,
    );
    expect(isAllowedUrl("http://cdn.discordapp.com/a.png", DEFAULT_DOWNLOAD_POLICY)).toBe(false);
    expect(isAllowedUrl("https://cdn.discordapp.com.evil.example/a.png", DEFAULT_DOWNLOAD_POLICY)).toBe(
      false,
    );
    expect(isAllowedUrl("https://evil.example/a.png", DEFAULT_DOWNLOAD_POLICY)).toBe(false);
    expect(isAllowedUrl(`${fake.origin}/attachments/1/2/a.png`, DEFAULT_DOWNLOAD_POLICY)).toBe(false);
    expect(isAllowedUrl(`${fake.origin}/attachments/1/2/a.png`, policy)).toBe(true);
  });

  it("refuse another host without requesting it", async () => {
    const before = fake.requests.length;
    const url = `${fake.origin}/attachments/1/2/a.png`;
    await expect(downloadAttachment({ url, name: "a.png" }, DEFAULT_DOWNLOAD_POLICY)).rejects.toMatchObject({
      code: "attachment_host_refused",
    });
    expect(fake.requests.length).toBe(before);
  });

  it("cap sizes: declared (nothing fetched) and actual", async () => {
    const small = await fake.upload({ filename: "small.png", bytes: Buffer.alloc(500, 1) });
    expect((await downloadAttachment({ url: small.url, name: "small.png" }, policy)).bytes).toHaveLength(500);
    const big = await fake.upload({ filename: "big.png", bytes: Buffer.alloc(5000, 1) });
    const before = fake.requests.length;
    await expect(
      downloadAttachment({ url: big.url, name: "big.png", size: 5000 }, policy),
    ).rejects.toMatchObject({
      code: "image_too_large",
    });
    expect(fake.requests.length).toBe(before);
    await expect(
      downloadAttachment({ url: big.url, name: "big.png", size: 10 }, policy),
    ).rejects.toMatchObject({
      code: "image_too_large",
    });
  });

  it("refuse redirects, so the host check cannot be bypassed, and time out before headers and mid-body", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/slow") return;
      if (req.url === "/stalled") {
        res.writeHead(200, { "content-type": "image/png" });
        res.write(Buffer.alloc(100, 1));
        return;
      }
      res.writeHead(302, { location: "https://evil.example/a.png" }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const local = { ...policy, extraOrigins: [origin], timeoutMs: 200 };
    await expect(downloadAttachment({ url: `${origin}/a.png` }, local)).rejects.toMatchObject({
      code: "attachment_download_failed",
    });
    await expect(downloadAttachment({ url: `${origin}/slow` }, local)).rejects.toMatchObject({
      code: "attachment_download_timed_out",
    });
    const stalled = await downloadAttachment({ url: `${origin}/stalled`, name: "s.png" }, local).catch(
      (caught: unknown) => caught,
    );
    expect(stalled).toMatchObject({ code: "attachment_download_timed_out" });
    expect((stalled as Error).message).toMatch(/^Downloading s\.png from Discord took longer than/);
    server.closeAllConnections();
    server.close();
  });
});
