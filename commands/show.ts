import { defineOptions } from "../src/core/option-definition.js";
import { textSchema } from "../src/core/option-schemas.js";
import { defineCommand } from "./types.js";

/**
 * `/show job:<id>` (`/imagine show <id>` on Slack): posts a past result into this channel again, with its
 * buttons acting on the original run. Anyone in the server or workspace where it was made may show it (it was
 * posted there); elsewhere its id is unknown. It spends nothing, but posts a message, so the access lists apply.
 */
export const showCommand = defineCommand({
  kind: "slash",
  name: "show",
  description: "Post a past image here again, with its buttons, by its job id (see /history)",
  access: "listed",
  options: defineOptions([
    {
      name: "job",
      description: "The job id, e.g. 20261207-093000-ab12cd34 (from /history or Details)",
      type: "string",
      required: true,
      schema: textSchema("job", "a job id"),
    },
  ]),
  slack: "word",
  slackHelp: (slash) =>
    `\`${slash} show <job id>\` posts one of this workspace's past images here again, with its buttons.`,
});
