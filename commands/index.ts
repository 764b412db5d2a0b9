import { blendCommand } from "./blend.js";
import { blendImagesCommand } from "./blend-images.js";
import { describeCommand } from "./describe.js";
import { describeImageCommand } from "./describe-image.js";
import { editCommand } from "./edit.js";
import { editImageCommand } from "./edit-image.js";
import { forgetCommand } from "./forget.js";
import { historyCommand } from "./history.js";
import { imagineCommand } from "./imagine.js";
import { settingsCommand } from "./settings.js";
import { showCommand } from "./show.js";
import { styleCommand } from "./style.js";
import { usageCommand } from "./usage.js";

/** Every command, in the order Discord lists them. Each platform maps every name to a handler. */
export const COMMANDS = [
  imagineCommand,
  editCommand,
  editImageCommand,
  blendCommand,
  blendImagesCommand,
  settingsCommand,
  usageCommand,
  forgetCommand,
  historyCommand,
  showCommand,
  styleCommand,
  describeCommand,
  describeImageCommand,
] as const;

export type Command = (typeof COMMANDS)[number];
export type CommandName = Command["name"];
/** The command called `Name`, with its literal type. */
export type CommandNamed<Name extends CommandName> = Extract<Command, { name: Name }>;

/** The command a platform event names, if it is one of ours. */
export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
