/**
 * A person's browser, as far as the studio's server sees it: cookies kept between requests, the CSRF token
 * sent with every POST, and the event stream read as it comes. Real HTTP (undici's fetch) against the real
 * endpoint; shared by the in-process tests and the `npm run web` process test, so nothing here imports vitest.
 */
import type { ServerResponse } from "node:http";
import { studioSessions } from "../../src/platforms/web/session.js";
import type { StudioEvent, StudioMe, StudioUser } from "../../src/platforms/web/studio-api.js";
import { waitFor } from "../helpers/wait-for.js";

export class StudioClient {
  private cookie = "";
  csrf = "";
  private readonly events: StudioEvent[] = [];
  private stream: AbortController | undefined;
  /** Resolves when the server ends the event stream (or it is closed here). */
  streamEnded: Promise<void> = Promise.resolve();

  constructor(readonly base: string) {}

  /** The cookie as the browser would send it (a test may tamper with it). */
  get cookieHeader(): string {
    return this.cookie;
  }

  set cookieHeader(value: string) {
    this.cookie = value;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: "manual" });
    for (const set of res.headers.getSetCookie()) {
      const [pair = ""] = set.split(";");
      this.cookie = pair.endsWith("=") ? "" : pair;
    }
    return res;
  }

  /** Opens the one-time link (its path and query), as a click does. */
  async openLink(link: string): Promise<Response> {
    const url = new URL(link);
    return this.fetch(`${url.pathname}${url.search}`);
  }

  async me(): Promise<StudioMe> {
    const res = await this.fetch("/studio/api/me");
    if (res.status !== 200) throw new Error(`GET /studio/api/me: ${res.status} ${await res.text()}`);
    const me = (await res.json()) as StudioMe;
    this.csrf = me.csrf;
    return me;
  }

  /** `POST /studio/api/runs` with the session's CSRF header (`csrf: false` leaves it out). */
  postRun(form: FormData, { csrf = true } = {}): Promise<Response> {
    return this.fetch("/studio/api/runs", {
      method: "POST",
      body: form,
      headers: csrf ? { "x-csrf-token": this.csrf } : {},
    });
  }

  /** Opens `/studio/api/events` and resolves once the server says the stream is subscribed. */
  async openEvents(): Promise<void> {
    this.stream = new AbortController();
    const res = await this.fetch("/studio/api/events", { signal: this.stream.signal });
    if (res.status !== 200 || res.body === null) throw new Error(`events: ${res.status} ${await res.text()}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let connected: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      connected = resolve;
    });
    this.streamEnded = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes(": connected")) connected();
          for (const line of block.split("\n")) {
            if (line.startsWith("data: ")) this.events.push(JSON.parse(line.slice(6)) as StudioEvent);
          }
        }
      }
    })();
    await ready;
  }

  closeEvents(): void {
    this.stream?.abort();
  }

  eventsOf(runId: string): StudioEvent[] {
    return this.events.filter((event) => event.runId === runId);
  }

  allEvents(): StudioEvent[] {
    return [...this.events];
  }

  /** The run's last event once it is `completed` or `failed`. */
  ended(runId: string, timeoutMs?: number): Promise<StudioEvent> {
    return waitFor(
      `run ${runId} to end on the event stream`,
      () => this.eventsOf(runId).find((event) => event.type === "completed" || event.type === "failed"),
      timeoutMs,
    );
  }
}

/** A run's form as the page sends it. */
export function runForm(
  prompt: string,
  options: Record<string, unknown> = {},
  files: { field: "image" | "mask" | "markup"; name: string; type: string; bytes: Buffer }[] = [],
  more: Record<string, string> = {},
): FormData {
  const form = new FormData();
  form.set("prompt", prompt);
  form.set("options", JSON.stringify(options));
  for (const [name, value] of Object.entries(more)) form.set(name, value);
  for (const file of files) form.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
  return form;
}

/**
 * A session cookie as a studio with `secret` signs it at sign-in (what the Discord and Slack sign-ins will set):
 * a person other than the operator, or a cookie from before a restart with another secret.
 */
export function cookieFor(user: StudioUser, secret: string): string {
  let header = "";
  const res = {
    appendHeader(_name: string, value: string) {
      header = value;
    },
  } as unknown as ServerResponse;
  studioSessions({ secret, hours: 1, secure: false }).signIn(res, user);
  return header.split(";")[0] ?? "";
}
