import type {
  StudioConversation,
  StudioHistory,
  StudioMe,
  StudioPress,
  StudioPressAnswer,
  StudioRun,
  StudioRunAccepted,
  StudioRunForm,
} from "../../src/platforms/web/studio-api.js";

/** A refusal the server explained in one sentence (`{ error }`), shown to the person as it is. */
export class StudioRefusal extends Error {}

export const API = "/studio/api";

/** The files a run sends beside its form. */
export interface RunFiles {
  images: File[];
  mask?: Blob;
  markup?: Blob;
}

/** The studio's HTTP API (src/platforms/web/studio-api.ts): every POST carries the session's CSRF token. */
export class StudioApi {
  constructor(private readonly csrf: string) {}

  /** Who is signed in; with the page's own `?link=` (an "Edit region" link), that link's image too. */
  static async me(): Promise<StudioMe> {
    const link = new URLSearchParams(location.search).get("link");
    const query = link ? `?link=${encodeURIComponent(link)}` : "";
    return answer<StudioMe>(await fetch(`${API}/me${query}`, { credentials: "same-origin" }));
  }

  async submit(form: StudioRunForm, files: RunFiles): Promise<StudioRunAccepted> {
    const body = new FormData();
    body.append("prompt", form.prompt);
    body.append("options", JSON.stringify(form.options));
    if (form.from) body.append("from", JSON.stringify(form.from));
    if (form.conversation) body.append("conversation", form.conversation);
    if (form.parent) body.append("parent", form.parent);
    if (form.link) body.append("link", form.link);
    for (const image of files.images) body.append("image", image, image.name);
    if (files.mask) body.append("mask", files.mask, "mask.png");
    if (files.markup) body.append("markup", files.markup, "markup.png");
    return this.post<StudioRunAccepted>("/runs", body);
  }

  press(press: StudioPress): Promise<StudioPressAnswer> {
    return this.post<StudioPressAnswer>("/actions", JSON.stringify(press), "application/json");
  }

  async signOut(): Promise<void> {
    await fetch("/studio/sign-out", { method: "POST", headers: { "x-csrf-token": this.csrf } });
  }

  run(runId: string): Promise<StudioRun> {
    return get<StudioRun>(`/runs/${encodeURIComponent(runId)}`);
  }

  history(before?: string): Promise<StudioHistory> {
    return get<StudioHistory>(before ? `/history?before=${encodeURIComponent(before)}` : "/history");
  }

  conversation(id: string): Promise<StudioConversation> {
    return get<StudioConversation>(`/conversations/${encodeURIComponent(id)}`);
  }

  private async post<T>(path: string, body: BodyInit, type?: string): Promise<T> {
    const headers: Record<string, string> = { "x-csrf-token": this.csrf };
    if (type) headers["content-type"] = type;
    return answer<T>(
      await fetch(`${API}${path}`, { method: "POST", headers, body, credentials: "same-origin" }),
    );
  }
}

async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(`${API}${path}`, { credentials: "same-origin" }));
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as ({ error?: string } & T) | undefined;
  if (response.ok && body !== undefined) return body;
  throw new StudioRefusal(
    body?.error ?? `The studio answered ${response.status} ${response.statusText}; try again in a moment.`,
  );
}
