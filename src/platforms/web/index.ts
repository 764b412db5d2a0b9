import type { WebConfig } from "../../config/types.js";
import { connectRedis, createRedisConnection } from "../../queue/connection.js";
import { CoalescingRenderer } from "../../render/coalescing-renderer.js";
import { resolveSharedSecret } from "../../stores/shared-secret.js";
import type { Platform, PlatformContext } from "../platform.js";
import { API_ROUTES } from "./api-routes.js";
import { WebReplySchema } from "./channel.js";
import { EDIT_REGION_ROUTES } from "./edit-region.js";
import { StudioEventHub } from "./event-hub.js";
import { OPERATOR_LINK_PATH, OperatorLinks, studioBaseUrl } from "./operator-link.js";
import { defaultPageDir } from "./pages.js";
import { signInProviders } from "./providers.js";
import { WebRenderer } from "./renderer.js";
import { type StudioDeps, studioHandler } from "./routes.js";
import { SESSION_SECRET_NAME, STUDIO_PATH, studioSessions } from "./session.js";
import { SIGN_IN_ROUTES } from "./sign-in-routes.js";
import { signInStates } from "./sign-in-state.js";
import { WEB_PLATFORM } from "./studio-run.js";

export interface WebPlatformOptions {
  /** Where the built page is (default `dist/web/`). */
  pageDir?: string;
  /** Where the one-time sign-in link is written (default stdout). */
  printLink?: (line: string) => void;
}

/** The web studio at `/studio` on the bot's HTTP endpoint: the same intake, queue, budgets and run folders. */
export function webPlatform(config: WebConfig, options: WebPlatformOptions = {}): Platform {
  return {
    name: WEB_PLATFORM,
    registerRenderers(registry, context) {
      const deps = { redis: context.redis, prefix: context.config.queuePrefix, runs: context.runs };
      registry.register("web", (spec) => {
        const { person } = WebReplySchema.parse(spec.reply);
        return new CoalescingRenderer(
          new WebRenderer(deps, { runId: spec.runId, person }),
          context.logger,
          "web",
        );
      });
    },
    async start(context) {
      const deps = await studioDeps(config, context, options);
      const handle = studioHandler([...SIGN_IN_ROUTES, ...API_ROUTES, ...EDIT_REGION_ROUTES], deps);
      return {
        mounts: [{ path: STUDIO_PATH, handle }],
        async listening({ port }) {
          if (deps.providers.length > 0) return;
          const { links, http } = context.config;
          const base = studioBaseUrl(links.publicBaseUrl, http?.host ?? "127.0.0.1", port);
          const token = await deps.operatorLinks.create();
          // The token stays out of the JSON logs, which may be shipped elsewhere: the operator reads it here.
          context.logger.info(
            { path: OPERATOR_LINK_PATH },
            "studio: open the one-time sign-in link printed on stdout",
          );
          (options.printLink ?? ((line) => process.stdout.write(`${line}\n`)))(
            `Studio sign-in link (works once): ${base}${OPERATOR_LINK_PATH}?token=${token}`,
          );
        },
        async ready() {
          // Without its subscriber the studio takes runs but its pages would never hear of them.
          if (!deps.hub.connected()) throw new Error("the studio's Redis subscriber is not connected");
        },
        async stop() {
          deps.hub.close();
        },
      };
    },
  };
}

async function studioDeps(
  config: WebConfig,
  context: PlatformContext,
  options: WebPlatformOptions,
): Promise<StudioDeps> {
  const { redis, logger } = context;
  const prefix = context.config.queuePrefix;
  const secret = await resolveSharedSecret(SESSION_SECRET_NAME, config.sessionSecret, { redis, prefix });
  const subscriber = createRedisConnection(context.config, "worker");
  subscriber.on("error", (error: Error) => logger.warn({ err: error }, "studio subscriber connection error"));
  await connectRedis(subscriber, context.config);
  const secure = context.config.links.publicBaseUrl?.startsWith("https:") ?? false;
  return {
    context,
    sessions: studioSessions({ secret, hours: config.sessionHours, secure }),
    signInStates: signInStates({ secret, secure }),
    hub: new StudioEventHub(subscriber, prefix, logger),
    operatorLinks: new OperatorLinks(redis, prefix),
    providers: signInProviders(context.config, logger),
    pageDir: options.pageDir ?? defaultPageDir(),
    logger,
  };
}
