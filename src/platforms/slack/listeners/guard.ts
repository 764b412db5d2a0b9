import type { AllMiddlewareArgs, AnyMiddlewareArgs } from "@slack/bolt";
import { isUserError } from "../../../core/errors.js";
import { refusalFields } from "../../../log-safety.js";
import type { SlackDeps } from "../deps.js";
import { messageFor } from "../errors.js";

type Ack = (response?: unknown) => Promise<void>;
type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** The parts of a request body that say how to reach the person. */
interface Body {
  type?: string;
  command?: string;
  event?: { channel?: string; user?: string; thread_ts?: string };
}

/** What acknowledging a request can itself carry: a private answer to a command, a modal turned apology. */
function ackAnswer(body: Body, text: string): Record<string, unknown> | undefined {
  if (body.command !== undefined) return { response_type: "ephemeral", text };
  if (body.type !== "view_submission") return undefined;
  return {
    response_action: "update",
    view: {
      type: "modal",
      title: { type: "plain_text", text: "Sorry" },
      close: { type: "plain_text", text: "Close" },
      blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
    },
  };
}

/**
 * Tells the person privately, by the first way the request offers: the ack itself if the listener had not
 * acknowledged yet (commands, modal submissions), its `response_url`, else an ephemeral message where the
 * event happened. Never throws.
 */
async function answerFailure(
  deps: SlackDeps,
  args: AnyMiddlewareArgs,
  acked: boolean,
  error: unknown,
): Promise<void> {
  const body = args.body as Body;
  try {
    const where = { request: body.command ?? body.type };
    if (isUserError(error))
      deps.context.logger.info({ ...where, ...refusalFields(error) }, "slack request refused");
    else deps.context.logger.error({ ...where, err: error }, "slack listener failed");
    const text = `:warning: ${messageFor(error)}`;
    const { ack, respond } = args as { ack?: Ack; respond?: Respond };
    if (ack !== undefined && !acked) {
      const answer = ackAnswer(body, text);
      await ack(answer);
      if (answer !== undefined) return;
    }
    if (respond !== undefined) {
      await respond({ response_type: "ephemeral", replace_original: false, text });
      return;
    }
    const event = body.event;
    if (event?.channel && event.user) {
      await deps.client.chat.postEphemeral({
        channel: event.channel,
        user: event.user,
        text,
        ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
      });
    }
  } catch (answerError) {
    deps.context.logger.warn({ err: answerError }, "failed slack request not answered");
  }
}

/**
 * Wraps a listener where it is registered: whatever it throws is logged and answered privately (the
 * person's own mistake as it is, anything else as "went wrong on our side"), and never reaches Bolt, so no
 * request is left unanswered and no rejection escapes. Tracks `ack` to know whether it can still answer.
 */
export function guarded<Kind extends AnyMiddlewareArgs>(
  deps: SlackDeps,
  listener: (args: Kind & AllMiddlewareArgs) => Promise<void>,
): (args: Kind & AllMiddlewareArgs) => Promise<void> {
  return async (args) => {
    const ack = (args as { ack?: Ack }).ack;
    let acked = false;
    const tracked: Kind & AllMiddlewareArgs =
      ack === undefined
        ? args
        : Object.assign({}, args, {
            ack: async (response?: unknown) => {
              acked = true;
              await ack(response);
            },
          });
    try {
      await listener(tracked);
    } catch (error) {
      await answerFailure(deps, args, acked, error);
    }
  };
}
