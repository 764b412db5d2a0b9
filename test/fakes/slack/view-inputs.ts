/**
 * Slack's rules for a modal's `file_input` (Block Kit reference): only inside an `input` block, `max_files`
 * 1 to 10, `filetypes` a list of extensions. Each broken rule is one message, as `views.open` reports them.
 */
export function fileInputErrors(blocks: readonly unknown[]): string[] {
  const errors: string[] = [];
  for (const [index, block] of blocks.entries()) {
    const { type, element } = (block ?? {}) as { type?: unknown; element?: Record<string, unknown> };
    const at = `[json-pointer:/view/blocks/${index}/element`;
    if (element?.type !== "file_input") continue;
    if (type !== "input") errors.push(`file_input must be in an input block ${at}]`);
    const max = element.max_files;
    if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 10))
      errors.push(`must be between 1 and 10 ${at}/max_files]`);
    const types = element.filetypes;
    if (types !== undefined && (!Array.isArray(types) || types.some((each) => typeof each !== "string")))
      errors.push(`must be a list of file extensions ${at}/filetypes]`);
  }
  return errors;
}
