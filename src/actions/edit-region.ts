import { userError } from "../core/errors.js";
import { EDIT_REGION_LINK_MS } from "../links/edit-region-link.js";
import { defineAction } from "./action.js";
import { chosenImage } from "./chosen-image.js";

const MINUTES = EDIT_REGION_LINK_MS / 60_000;

/**
 * Edit region: answers the presser privately with a link opening the web studio on the chosen image, where they
 * paint the region to change; what they submit there comes back into this chat as a turn (`edit-region-return.ts`).
 * The link is theirs alone and expires; nothing is reserved or spent until the page's submit.
 */
export const editRegion = defineAction({
  name: "edit-region",
  label: "Edit region",
  tone: "plain",
  offer: {
    platforms: ["discord", "slack"],
    under: "result",
    needsStoredFinal: true,
    // The edit is posted back with the bot's own token: not where only an interaction's webhook reaches.
    inOrOnThread: true,
    needsStudio: true,
  },
  pressers: { kind: "anyone-here" },
  accessListed: true,
  origin: "run",
  perImage: true,
  async run({ press, port, deps }) {
    const { metadata, index } = await chosenImage(deps.runs, press);
    const place = port.studioReturn?.place(metadata);
    // A button posted while the studio was on, pressed after it was turned off.
    if (deps.editRegion === undefined || port.studioReturn === undefined || place === undefined)
      throw userError("edit_region_off");
    const { user, workspace } = port.place;
    const url = await deps.editRegion.urlFor({
      runId: press.runId,
      image: index,
      user: { platform: place.platform, id: user, ...(workspace ? { workspace } : {}) },
      place,
    });
    await port.studioReturn.answerWithLink(
      `Paint the region of image ${index + 1} to change in the studio; your edit comes back here. This link is yours alone and expires in ${MINUTES} minutes; nothing is spent until you submit.`,
      { label: "Open in the studio", url },
    );
  },
});
