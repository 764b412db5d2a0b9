/** `1 image`, `2 images`: a count with its noun, for messages to people. */
export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
