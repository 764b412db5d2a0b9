import type { types } from "@slack/bolt";
import { z } from "zod";
import type { PromptForm } from "../../actions/action.js";
import { pressId } from "../../actions/press-id.js";

/** The view of every prompt form a button opens; its submit is the button's press again, with the prompt. */
export const PRESS_FORM_VIEW = "imagine_press_form";
export const PROMPT_BLOCK = "prompt";

/** Where the button was pressed, carried through the form in `private_metadata` (Slack gives it back as sent). */
const FormPlaceSchema = z.object({
  press: z.string(),
  team: z.string(),
  channel: z.string(),
  messageTs: z.string(),
  threadTs: z.string(),
});
export type FormPlace = z.infer<typeof FormPlaceSchema>;

/** Slack's limits: a view's title and its submit label take 24 characters. */
const short = (text: string) => ({ type: "plain_text" as const, text: text.slice(0, 24) });

export function promptView(form: PromptForm, place: Omit<FormPlace, "press">): types.ModalView {
  const { team, channel, messageTs, threadTs } = place;
  const metadata: FormPlace = { press: pressId(form.press), team, channel, messageTs, threadTs };
  return {
    type: "modal",
    callback_id: PRESS_FORM_VIEW,
    private_metadata: JSON.stringify(metadata),
    title: short(form.title),
    submit: short(form.submit),
    close: short("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: PROMPT_BLOCK,
        label: { type: "plain_text", text: form.label },
        element: { type: "plain_text_input", action_id: PROMPT_BLOCK, multiline: true, max_length: 3000 },
      },
    ],
  };
}

/** The place a submitted form names, or undefined when its metadata is not ours. */
export function formPlace(privateMetadata: string): FormPlace | undefined {
  try {
    return FormPlaceSchema.parse(JSON.parse(privateMetadata));
  } catch {
    return undefined;
  }
}
