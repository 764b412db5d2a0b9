import type { z } from "zod";

/** How an option's value arrives: Discord types it; Slack and the CLI send strings. */
export type OptionType = "string" | "integer" | "boolean" | "attachment";

/**
 * One command option, platform-neutral. Discord's command JSON and option reading, Slack's `--flag value`
 * parsing, the Slack manifest, the CLI's flags, help and README are all derived from these fields, so names
 * are identical everywhere.
 */
export interface OptionDefinition {
  /** Lowercase, 1–32 characters, `-` allowed (Discord's rule, the strictest of the three). */
  readonly name: string;
  /** At most 100 characters (Discord's limit). */
  readonly description: string;
  readonly type: OptionType;
  readonly required?: boolean;
  /** Values offered in pickers and help (at most 25, Discord's limit); a closed set unless `open`. */
  readonly choices?: readonly string[];
  /**
   * The choices are the current ones, but `schema` parses other values too: the model option also takes a
   * dated snapshot or a retired name, so that validation can answer with the replacement.
   */
  readonly open?: boolean;
  /** What a picker shows for a choice, when more than its value (`user-day-usd: each person, …`). */
  readonly choiceLabels?: Readonly<Record<string, string>>;
  /** Inclusive bounds of an integer option. */
  readonly min?: number;
  readonly max?: number;
  /** How many times the option may be given; its value is then a list. */
  readonly repeatable?: number;
  /**
   * Where an option cannot be repeated (Discord), how many numbered copies stand for it: `image`, `image-2`
   * … `image-<count>`, each copy after the first described by `slotDescription` with `{n}` for its number.
   * `required`: how many of the slots Discord requires (default: the first when the option is required).
   */
  readonly slots?: { readonly count: number; readonly slotDescription: string; readonly required?: number };
  /** Only a server's or workspace's admins may give it (the handler checks who asks). */
  readonly adminOnly?: boolean;
  /**
   * Parses one raw value (a string from Slack or the CLI, a typed value from Discord) into the option's
   * value. Its issue messages are whole sentences for the person, naming the option and what it accepts.
   */
  readonly schema: z.ZodType;
}

/** `frame-ms` → `frameMs`: option names are kebab-case, parsed fields camelCase. */
export type FieldName<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<FieldName<Tail>>}`
  : Name;

export function fieldName<Name extends string>(optionName: Name): FieldName<Name> {
  return optionName.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()) as FieldName<Name>;
}

type ValueOf<Option extends OptionDefinition> = Option extends { repeatable: number }
  ? z.output<Option["schema"]>[]
  : z.output<Option["schema"]>;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/**
 * The parsed values of a list of options, by field name, as the schemas produce them: required options
 * always there, the others absent (or `undefined`) when not given; a repeatable option is a list.
 */
export type OptionValues<Options extends readonly OptionDefinition[]> = Flatten<
  {
    [Option in Options[number] as Option extends { required: true }
      ? FieldName<Option["name"]>
      : never]: ValueOf<Option>;
  } & {
    [Option in Options[number] as Option extends { required: true } ? never : FieldName<Option["name"]>]?:
      | ValueOf<Option>
      | undefined;
  }
>;

/**
 * A list of options with every literal kept (names, `required: true`, schemas), so their values can be
 * inferred, each still read as an `OptionDefinition` (`option.choices` whatever the option).
 */
export function defineOptions<const Options extends readonly OptionDefinition[]>(
  options: Options,
): { readonly [Index in keyof Options]: Options[Index] & OptionDefinition } {
  // Each element already is an OptionDefinition (the constraint): the type only says so element by element.
  return options as { readonly [Index in keyof Options]: Options[Index] & OptionDefinition };
}
