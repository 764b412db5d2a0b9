/** A component as JSON: rows and containers hold others in `components`, a section its button in `accessory`. */
interface ComponentJson {
  type?: number;
  custom_id?: string;
  content?: string;
  options?: { value?: string }[];
  components?: ComponentJson[];
  accessory?: ComponentJson;
  items?: { media?: { url?: string } }[];
}

/** Every component of a tree, depth first (a gallery's rows sit in a container). */
export function allComponents(components: readonly unknown[]): ComponentJson[] {
  return (components as ComponentJson[]).flatMap((component) => [
    component,
    ...allComponents([
      ...(component.components ?? []),
      ...(component.accessory ? [component.accessory] : []),
    ]),
  ]);
}

/**
 * The press ids a Discord message offers, in order: its buttons' custom ids and its selects' option values
 * (a gallery's select of one action lists a press per image), however deeply nested.
 */
export function customIds(components: readonly unknown[]): string[] {
  return allComponents(components).flatMap((component) => {
    if (component.type === 3) return (component.options ?? []).flatMap((option) => option.value ?? []);
    return component.type === 2 && component.custom_id ? [component.custom_id] : [];
  });
}

/**
 * Whether a Discord message shows a finished result: its buttons are the result's (Details is always one),
 * not the Cancel button a status carries while the job waits or runs.
 */
export function showsResult(message: { components: readonly unknown[] }): boolean {
  return customIds(message.components).some((id) => id.startsWith("details:"));
}

/** What a message says: its content, or a Components V2 message's text displays. */
export function messageText(message: { content: string; components: readonly unknown[] }): string {
  const texts = allComponents(message.components).flatMap((component) =>
    component.type === 10 && component.content ? [component.content] : [],
  );
  return [message.content, ...texts].filter((text) => text !== "").join("\n");
}

/** The job id a result or status message names (`job \`<id>\``), or "" when it names none. */
export function jobIdOf(message: { content: string; components?: readonly unknown[] }): string {
  return /job `([^`]+)`/.exec(messageText({ components: [], ...message }))?.[1] ?? "";
}

/** The `attachment://` names a Components V2 message's media galleries show, in order. */
export function galleryFiles(components: readonly unknown[]): string[] {
  return allComponents(components).flatMap((component) =>
    component.type === 12
      ? (component.items ?? []).map((item) => (item.media?.url ?? "").replace("attachment://", ""))
      : [],
  );
}
