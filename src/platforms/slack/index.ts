import type { SlackConfig } from "../../config/types.js";
import type { Platform } from "../platform.js";
import { createSlackApp, startSlackApp } from "./app.js";
import { SlackAssistantThreads } from "./assistant-threads.js";
import { countRateLimits, createWebClient } from "./client.js";
import type { SlackDeps } from "./deps.js";
import { registerActions } from "./listeners/actions.js";
import { registerAssistant } from "./listeners/assistant.js";
import { registerBlendShortcut } from "./listeners/blend-shortcut.js";
import { registerCommand } from "./listeners/command.js";
import { registerDescribeShortcut } from "./listeners/describe-shortcut.js";
import { registerEvents } from "./listeners/events.js";
import { registerPressForms } from "./listeners/press-form.js";
import { registerShortcut } from "./listeners/shortcut.js";
import { SlackMessageRuns } from "./message-runs.js";
import { resolveSlackOptions, type SlackPlatformOptions } from "./options.js";
import { SlackRenderer } from "./renderer.js";
import { SlackReplySchema } from "./reply-target.js";
import { slackChatReturn } from "./studio-return.js";

export type { SlackPlatformOptions } from "./options.js";

/** Slack: `/imagine`, edits by thread reply or the "Edit image" shortcut, refinement in threads. */
export function slackPlatform(config: SlackConfig, platformOptions: SlackPlatformOptions = {}): Platform {
  const options = resolveSlackOptions(config, platformOptions);
  // Whether this workspace refused a carousel: learnt once per process, by whichever renderer meets it first.
  const carousels = { refused: false };
  // Whether this workspace refused text streaming: learnt the same way.
  const streams = { refused: false };
  return {
    name: "slack",
    registerRenderers(registry, context) {
      const client = createWebClient(config, context.logger);
      const messageRuns = new SlackMessageRuns(context.redis, context.config.queuePrefix);
      registry.register("slack", (spec) => {
        const reply = SlackReplySchema.parse(spec.reply);
        return new SlackRenderer(
          {
            client,
            token: config.botToken,
            options,
            threads: context.threads,
            originals: context.originals,
            messageRuns,
            logger: context.logger,
            carousels,
            streams,
            studio: context.editRegion !== undefined,
          },
          {
            reply,
            runId: spec.runId,
            prompt: spec.request.prompt,
            partials: spec.request.partials,
            ...(spec.thread ? { thread: spec.thread } : {}),
            ...(spec.kind ? { kind: spec.kind } : {}),
          },
        );
      });
    },
    async start(context) {
      const app = createSlackApp(config, context.logger, {
        redis: context.redis,
        queuePrefix: context.config.queuePrefix,
      });
      countRateLimits(app.client);
      const deps: SlackDeps = {
        context,
        client: app.client,
        token: config.botToken,
        options,
        messageRuns: new SlackMessageRuns(context.redis, context.config.queuePrefix),
        assistantThreads: new SlackAssistantThreads(context.redis, context.config.queuePrefix),
        carousels,
        streams,
      };
      registerCommand(app, deps);
      registerEvents(app, deps);
      registerAssistant(app, deps);
      registerShortcut(app, deps);
      registerBlendShortcut(app, deps);
      registerDescribeShortcut(app, deps);
      registerActions(app, deps);
      registerPressForms(app, deps);
      app.error(async (error) => {
        context.logger.error({ err: error }, "slack listener failed");
      });
      await startSlackApp(app, config);
      context.chatReturns?.set("slack", slackChatReturn(deps));
      return {
        async stop() {
          context.chatReturns?.delete("slack");
          await app.stop();
        },
      };
    },
  };
}
