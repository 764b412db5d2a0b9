import { ApplicationCommandType, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from "discord.js";

export const EDIT_IMAGE_COMMAND = "Edit image";

/** Message context menu: works on any message with an image, and needs no MESSAGE_CONTENT intent. */
export const editImageData = {
  name: EDIT_IMAGE_COMMAND,
  type: ApplicationCommandType.Message,
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;
