import { z } from "zod";
import type { PressPort } from "../../actions/action.js";
import { pressAction } from "../../actions/press-action.js";
import { pressId } from "../../actions/press-id.js";
import { userError } from "../../core/errors.js";
import type { JobSpec } from "../../core/job-spec.js";
import { isRunId } from "../../core/run-id.js";
import { submitRequest } from "../../intake/submit-request.js";
import { findJob } from "../../queue/platform-queues.js";
import type { PlatformContext } from "../platform.js";
import { publishStudioEvent } from "./channel.js";
import { personDefaults } from "./defaults.js";
import { jobUser, personOf, webPort } from "./intake.js";
import type { StudioPressAnswer, StudioUser } from "./studio-api.js";
import { WEB_PLATFORM } from "./studio-run.js";

const StudioPressSchema = z.object({
  runId: z.string(),
  action: z.string().regex(/^[a-z][a-z-]*$/),
  image: z.number().int().min(0).max(99).optional(),
  prompt: z.string().optional(),
});

/** Who asked for the run: its folder says, or for a job still waiting (no folder yet) the queue does. */
async function ownerOf(context: PlatformContext, runId: string): Promise<JobSpec["user"] | undefined> {
  if (!isRunId(runId)) return undefined;
  const metadata = await context.runs.findMetadata(runId);
  return metadata?.origin.user ?? (await findJob(context.queues, runId))?.data.user;
}

/**
 * `POST /studio/api/actions`: a press on one of the person's own runs, through the same pipeline as chat's
 * buttons (`actions/press-action.ts`), answered as JSON. The run's place is the press's place: the person owns
 * it wherever it was made, and the studio has no channel of its own for access lists to cover.
 */
export async function pressStudioAction(
  context: PlatformContext,
  user: StudioUser,
  body: unknown,
): Promise<StudioPressAnswer> {
  const parsed = StudioPressSchema.safeParse(body);
  if (!parsed.success) throw userError("web_form_invalid", { problem: "it is not a press of an action" });
  const { runId, action, image, prompt } = parsed.data;
  const owner = await ownerOf(context, runId);
  if (owner === undefined || owner.platform !== user.platform || owner.id !== user.id) {
    throw userError("web_run_not_found");
  }
  const answer: StudioPressAnswer = {};
  const say = (text: string) => {
    answer.say = answer.say === undefined ? text : `${answer.say}\n${text}`;
  };
  const port: PressPort = {
    platform: WEB_PLATFORM,
    place: { platform: owner.platform, workspace: owner.workspace, user: user.id },
    // Who may use the studio was decided at sign-in.
    requireAccess: () => undefined,
    isAdmin: () => user.admin,
    acknowledge: async () => undefined,
    answerPrivately: async (text) => say(text),
    confirmPrivately: async (text, confirm) => {
      say(text);
      answer.confirm = { label: confirm.label, press: { ...confirm.press } };
    },
    requestDefaults: () => personDefaults(context, user),
    askForPrompt: async ({ title, label, submit }) => {
      answer.askForPrompt = { title, label, submit };
    },
    showDetails: async (details) =>
      say([details.title, ...details.fields.map(([l, v]) => `${l}: ${v}`)].join("\n")),
    submitFollowUp: async (followUp) => {
      // A chat thread's chain stays chat's: a run made here continues a studio conversation only.
      const thread = followUp.thread?.platform === WEB_PLATFORM ? followUp.thread : undefined;
      const { runId: made } = await submitRequest(
        context,
        {
          ask: { request: followUp.request },
          storedImageKeys: followUp.storedImageKeys,
          storedMaskKey: followUp.storedMaskKey,
          storedMarkupKey: followUp.storedMarkupKey,
          thread,
          user: jobUser(user),
          ...(followUp.kind ? { kind: followUp.kind } : {}),
        },
        webPort(context, personOf(user)),
      );
      answer.runId = made;
    },
    // The page drops the run itself once the press answers.
    deleteMessage: async () => undefined,
    showRun: async ({ metadata }) => {
      answer.runId = metadata.runId;
    },
    showCancelled: async () => {
      const sentence = "Cancelled before it started: nothing was charged.";
      say(sentence);
      // No worker will render it: the page's stream hears the end from here.
      const event = { runId, type: "failed", error: sentence, cancelled: true } as const;
      await publishStudioEvent(context.redis, context.config.queuePrefix, personOf(user), event);
    },
  };
  await pressAction(
    context,
    pressId({ action, runId, ...(image !== undefined ? { image } : {}) }),
    port,
    prompt === undefined ? undefined : { prompt },
  );
  return answer;
}
