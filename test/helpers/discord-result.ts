/** The custom ids of a Discord message's buttons, row by row. */
export function customIds(components: readonly unknown[]): string[] {
  return (components as { components?: { custom_id?: string }[] }[])
    .flatMap((row) => row.components ?? [])
    .flatMap((component) => (component.custom_id ? [component.custom_id] : []));
}

/**
 * Whether a Discord message shows a finished result: its buttons are the result's (Details is always one),
 * not the Cancel button a status carries while the job waits or runs.
 */
export function showsResult(message: { components: readonly unknown[] }): boolean {
  return customIds(message.components).some((id) => id.startsWith("details:"));
}

/** The job id a result or status message names (`job \`<id>\``), or "" when it names none. */
export function jobIdOf(message: { content: string }): string {
  return /job `([^`]+)`/.exec(message.content)?.[1] ?? "";
}
