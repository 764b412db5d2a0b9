import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIMessageTopLevelComponent,
  ComponentType,
  ContainerBuilder,
  MediaGalleryBuilder,
  MediaGalleryItemBuilder,
  SeparatorBuilder,
  StringSelectMenuBuilder,
  TextDisplayBuilder,
} from "discord.js";
import type { Action } from "../../actions/action.js";
import { pressId } from "../../actions/press-id.js";
import type { ResultActions } from "../../actions/registry.js";
import { clip } from "../../render/clip.js";
import { actionButton, buttonRowsOf, runButtonRows } from "./buttons.js";

/** Discord's cap on a Components V2 message: every component counts, nested ones too (gallery items do not). */
export const MAX_V2_COMPONENTS = 40;

/** A select's custom id: none of ours as a press (`parsePressId` reads 2 or `v2:` + 3 fields), its options are. */
const PICK = "pick";

export const pickId = (action: string, runId: string) => `${PICK}:${action}:${runId}`;

/** One shown image: the uploaded file the gallery item points at, and its alt text. */
export interface GalleryImage {
  file: string;
  description: string;
}

export interface GalleryContent {
  runId: string;
  /** The result's lines (prompt, revised prompt, "Model says:", facts, notes), as the classic layout shows them. */
  text: string;
  images: GalleryImage[];
  actions: ResultActions<Action>;
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

const componentsIn = (rows: Row[]) => rows.reduce((sum, row) => sum + 1 + row.components.length, 0);

/** A row of labelled buttons under each image ("Vary 3", "Finalize 3"), in the images' order. */
function buttonsPerImage(actions: readonly Action[], runId: string, images: number): Row[] {
  return Array.from({ length: images }, (_, image) =>
    buttonRowsOf(
      actions.map((action) =>
        actionButton(action, { action: action.name, runId, image }, `${action.label} ${image + 1}`),
      ),
    ),
  ).flat();
}

/** One select per action listing the images; each option's value is the image's press id. */
function selectPerAction(actions: readonly Action[], runId: string, images: number): Row[] {
  return actions.map((action) => ({
    type: ComponentType.ActionRow,
    components: [
      new StringSelectMenuBuilder()
        .setCustomId(pickId(action.name, runId))
        .setPlaceholder(`${action.label}…`)
        .addOptions(
          Array.from({ length: images }, (_, image) => ({
            label: `${action.label} image ${image + 1}`,
            value: pressId({ action: action.name, runId, image }),
          })),
        )
        .toJSON(),
    ],
  }));
}

/**
 * A Components V2 result of several images: a container with the result's text, a media gallery of the images
 * and the per-image actions, then the whole-result buttons. Per-image actions read best as labelled buttons, a
 * row per image, but those cost 1 + actions components per image and Discord counts 40 at most in a message:
 * when they would not fit (four actions on ten images need 50), each action becomes one select of the images
 * instead (2 components per action, whatever the count of images).
 */
export function galleryComponents(content: GalleryContent): APIMessageTopLevelComponent[] {
  const { runId, images, actions } = content;
  const whole = runButtonRows(actions.whole, runId);
  const buttons = buttonsPerImage(actions.perImage, runId, images.length);
  // The container, its text display, its gallery and, with per-image actions, the separator before them.
  const fixed = 4 + componentsIn(whole);
  const perImage =
    fixed + componentsIn(buttons) <= MAX_V2_COMPONENTS
      ? buttons
      : selectPerAction(actions.perImage, runId, images.length);
  const container = new ContainerBuilder()
    .addTextDisplayComponents(new TextDisplayBuilder().setContent(content.text))
    .addMediaGalleryComponents(
      new MediaGalleryBuilder().addItems(
        images.map((image) =>
          new MediaGalleryItemBuilder()
            .setURL(`attachment://${image.file}`)
            .setDescription(clip(image.description, 1024)),
        ),
      ),
    );
  if (perImage.length > 0) {
    container.addSeparatorComponents(new SeparatorBuilder()).addActionRowComponents(perImage);
  }
  return [container.toJSON(), ...whole];
}
