import type { TryPlatform } from "./platform.js";
import type { Watcher } from "./watcher.js";

export interface WebView {
  url: string;
  close(): Promise<void>;
}

export async function startWebView(
  _platform: TryPlatform,
  _watcher: Watcher,
  _port: number,
): Promise<WebView> {
  throw new Error("not yet");
}
