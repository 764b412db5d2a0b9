import type { App, SlackViewMiddlewareArgs } from "@slack/bolt";
import { pressAction } from "../../../actions/press-action.js";
import { unknownButton } from "../../../actions/press-id.js";
import { isUserError } from "../../../core/errors.js";
import type { SlackDeps } from "../deps.js";
import { messageFor } from "../errors.js";
import { formPlace, PRESS_FORM_VIEW, PROMPT_BLOCK } from "../press-form.js";
import { messagePort } from "./actions.js";
import { guarded } from "./guard.js";

/**
 * The submit of a form a result's button opened (Edit, Use as reference): the modal closes at once, and the
 * button's press goes through the press pipeline again with the prompt, answered where the button was.
 */
export function registerPressForms(app: App, deps: SlackDeps): void {
  app.view(
    PRESS_FORM_VIEW,
    guarded<SlackViewMiddlewareArgs>(deps, async ({ ack, view, body }) => {
      const place = formPlace(view.private_metadata);
      const prompt = view.state.values[PROMPT_BLOCK]?.[PROMPT_BLOCK]?.value ?? "";
      if (place === undefined) {
        await ack({ response_action: "errors", errors: { [PROMPT_BLOCK]: messageFor(unknownButton()) } });
        return;
      }
      await ack();
      const { press, ...at } = place;
      const port = messagePort(deps, { ...at, user: body.user.id });
      try {
        await pressAction(deps.context, press, port, { prompt });
      } catch (error) {
        if (!isUserError(error)) deps.context.logger.warn({ err: error }, "form not submitted");
        await port.answerPrivately(`:warning: ${messageFor(error)}`).catch(() => undefined);
      }
    }),
  );
}
