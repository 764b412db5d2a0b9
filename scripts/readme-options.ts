/**
 * `npm run readme:options`: rewrites README.md's table of options from `commands/`; a test fails when it is
 * stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { readmeOptionTable } from "../src/cli/readme-options.js";

const TABLE = /^\| option .*\n(?:\|.*\n)*/m;
const readme = await readFile("README.md", "utf8");
if (!TABLE.test(readme)) throw new Error("README.md has no table starting with `| option`");
await writeFile("README.md", readme.replace(TABLE, `${readmeOptionTable()}\n`));
console.log("wrote README.md's table of options");
