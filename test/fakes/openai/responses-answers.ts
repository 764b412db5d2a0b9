/**
 * `action: "auto"` text answers, deterministic: with `tool_choice: "auto"` the model may answer in text instead
 * of calling the image tool, and this fake does so exactly when the person's latest words end with "?" (a
 * question). Anything else still draws, as a model asked to change an image would.
 */
export function answersInText(body: Record<string, unknown>, latestText: string): boolean {
  return body.tool_choice === "auto" && latestText.trim().endsWith("?");
}

/** The answer, naming the turn and the question so tests can see the chain it continued. */
export function answerText(turn: number, prompts: readonly string[], question: string): string {
  const first = prompts[0] ?? question;
  return `Turn ${turn} answer: you asked "${question}" The picture started as "${first}", and the last change asked for was "${prompts.at(-2) ?? first}".`;
}
