import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { imagineCommand } from "../../commands/imagine.js";
import { SUGGESTED_PROMPTS } from "../../src/platforms/slack/assistant-words.js";
import { BOT_EVENTS, BOT_SCOPES, manifestJson, slackManifest } from "../../src/platforms/slack/manifest.js";

describe("the Slack app manifest", () => {
  it("is up to date with commands/ (run npm run slack:manifest)", async () => {
    const committed = await readFile(new URL("../../slack/manifest.json", import.meta.url), "utf8");
    expect(committed).toBe(manifestJson());
  });

  it("declares /imagine, the Edit image shortcut, the scopes and the events the bot uses", () => {
    const manifest = slackManifest() as {
      features: {
        slash_commands: { command: string; usage_hint: string }[];
        shortcuts: { callback_id: string }[];
      };
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { bot_events: string[] }; socket_mode_enabled: boolean };
    };
    expect(manifest.features.slash_commands[0]?.command).toBe(`/${imagineCommand.name}`);
    expect(manifest.features.slash_commands[0]?.usage_hint).toContain("--model");
    expect(manifest.features.shortcuts[0]?.callback_id).toBe("imagine_edit");
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(BOT_EVENTS);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("opens the assistant view with its suggested prompts, and asks for the scope and events it needs", () => {
    const manifest = slackManifest() as {
      features: { assistant_view?: { assistant_description: string; suggested_prompts: unknown[] } };
    };
    const view = manifest.features.assistant_view;
    expect(view?.assistant_description.length).toBeGreaterThan(0);
    expect(view?.suggested_prompts).toEqual(SUGGESTED_PROMPTS.prompts);
    expect(BOT_SCOPES).toContain("assistant:write");
    for (const event of ["assistant_thread_started", "assistant_thread_context_changed", "message.im"])
      expect(BOT_EVENTS).toContain(event);
  });

  it("points every request URL at the bot in HTTP mode", () => {
    const json = manifestJson("https://bot.example.com/slack/events");
    expect(JSON.parse(json).settings.socket_mode_enabled).toBe(false);
    expect(json.match(/https:\/\/bot\.example\.com\/slack\/events/g)).toHaveLength(3);
  });
});
