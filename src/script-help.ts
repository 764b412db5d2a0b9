/**
 * `--help` (or `-h`) for the npm scripts that take the bot's configuration (`doctor`, `register-commands`,
 * `slack:manifest`): their usage on stdout and exit 0, before any configuration is read, so asking how to run a
 * script never ends in a configuration error or a stack trace.
 */
export function answerHelp(usage: string, args: readonly string[] = process.argv.slice(2)): void {
  if (!args.some((arg) => arg === "--help" || arg === "-h")) return;
  process.stdout.write(`${usage.trimEnd()}\n`);
  process.exit(0);
}
