/**
 * `npm run readme:options`: rewrites docs/cli.md's table of options from `commands/`; a test fails when it is
 * stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { readmeOptionTable } from "../src/cli/readme-options.js";

const PAGE = "docs/cli.md";
const TABLE = /^\| option .*\n(?:\|.*\n)*/m;
const page = await readFile(PAGE, "utf8");
if (!TABLE.test(page)) throw new Error(`${PAGE} has no table starting with \`| option\``);
await writeFile(PAGE, page.replace(TABLE, `${readmeOptionTable()}\n`));
console.log(`wrote ${PAGE}'s table of options`);
