import {
  type APIActionRowComponent,
  type APIFileUploadComponent,
  type APILabelComponent,
  type APITextInputComponent,
  Client,
  ComponentType,
  Events,
  GatewayIntentBits,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  TextInputStyle,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/wait-for.js";
import { type FakeDiscord, startFakeDiscord } from "./fake.js";

/** The fake's modal file uploads, driven by the real discord.js client: what Discord refuses, it refuses. */
let fake: FakeDiscord;
let client: Client;
const interactions: Interaction[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 2_000 });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.url } });
  client.on(Events.InteractionCreate, (interaction) => {
    interactions.push(interaction);
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.token);
  await ready;
});
afterAll(async () => {
  await client.destroy();
  await fake.close();
});

const prompt: APIActionRowComponent<APITextInputComponent> = {
  type: ComponentType.ActionRow,
  components: [
    { type: ComponentType.TextInput, custom_id: "prompt", label: "Prompt", style: TextInputStyle.Short },
  ],
};
const upload = (
  limits: Partial<Pick<APIFileUploadComponent, "min_values" | "max_values" | "file_types">>,
): APILabelComponent => ({
  type: ComponentType.Label,
  label: "Markup",
  component: { type: ComponentType.FileUpload, custom_id: "markup", required: false, ...limits },
});

async function menuInteraction(): Promise<MessageContextMenuCommandInteraction> {
  const message = await fake.say({ content: "a photo" });
  const sent = await fake.messageCommand("Edit image", message);
  return (await waitFor("the menu interaction", () =>
    interactions.find((each) => each.id === sent.id),
  )) as MessageContextMenuCommandInteraction;
}

describe("modal file uploads in the fake Discord", () => {
  it.each([
    [
      "a file upload outside a label",
      { type: ComponentType.ActionRow, components: [{ type: ComponentType.FileUpload, custom_id: "f" }] },
    ],
    ["more than 10 files", upload({ max_values: 11 })],
    ["a minimum above the maximum", upload({ min_values: 2, max_values: 1 })],
    // Not a `FileUploadType`: the compiler would refuse it too, a hand-built payload might not.
    ["a file type that is neither a kind nor an extension", upload({ file_types: ["png"] as never })],
  ])("refuses %s with Discord's 50035", async (_case, component) => {
    const interaction = await menuInteraction();
    await expect(
      interaction.showModal({
        custom_id: `m-${interaction.id}`,
        title: "Edit",
        components: [prompt, component as never],
      }),
    ).rejects.toMatchObject({ code: 50035 });
  });

  it("delivers the files put in an upload to discord.js, and takes no more than the modal allows", async () => {
    const interaction = await menuInteraction();
    const customId = `m-${interaction.id}`;
    await interaction.showModal({
      custom_id: customId,
      title: "Edit",
      components: [prompt, upload({ min_values: 0, max_values: 1 })],
    });
    const file = { filename: "markup.png", bytes: Buffer.from("png bytes"), contentType: "image/png" };
    await expect(fake.submitModal(customId, { prompt: "x", markup: [file, file] })).rejects.toThrow(
      /takes 0 to 1 files/,
    );
    const sent = await fake.submitModal(customId, { prompt: "move it", markup: [file] });
    const submit = (await waitFor("the submit", () =>
      interactions.find((each) => each.id === sent.id),
    )) as ModalSubmitInteraction;
    expect(submit.fields.getTextInputValue("prompt")).toBe("move it");
    const files = submit.fields.getUploadedFiles("markup");
    expect(files?.first()).toMatchObject({ name: "markup.png", contentType: "image/png" });
  });
});
