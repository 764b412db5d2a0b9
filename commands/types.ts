import type { z } from "zod";

/** How an option's raw value arrives: Discord types it; Slack and the CLI send strings. */
export type OptionType = "string" | "integer" | "attachment";

/**
 * One command option, platform-neutral. Discord command JSON, Slack `--flag value` parsing, the Slack
 * manifest and the CLI flags are all derived from these fields, so names are identical everywhere.
 */
export interface OptionDefinition {
  /** Lowercase, 1–32 characters, `-` allowed (Discord's rule, the strictest of the three). */
  name: string;
  /** At most 100 characters (Discord's limit). */
  description: string;
  type: OptionType;
  required?: boolean;
  /**
   * Values offered in pickers and help (at most 25, Discord's limit). `schema` decides what parses: the
   * model option offers current models but also parses a dated snapshot or a retired name, so that
   * validation can answer with the replacement.
   */
  choices?: readonly string[];
  /** Inclusive bounds of an integer option. */
  min?: number;
  max?: number;
  /** Attachments only: how many times the option may be given. */
  repeatable?: number;
  /**
   * Parses one raw value (a string from Slack or the CLI, a typed value from Discord) into the option's
   * value. Its issue messages are whole sentences for the person, naming the option and what it accepts.
   */
  schema: z.ZodType;
}

export interface CommandDefinition {
  /** The command name without the slash. */
  name: string;
  /** At most 100 characters (Discord's limit). */
  description: string;
  /** Required options first (Discord's rule). */
  options: readonly OptionDefinition[];
}
