#!/usr/bin/env node
/**
 * Adds lock entries for optional platform packages that npm left out of package-lock.json.
 *
 * Why: packages such as rollup, biome and esbuild ship one optional binary package per platform. npm
 * records all of them only when the registry serves their metadata; the registry mirror on our machines
 * serves just this platform's, so `npm install` writes a lock without the others and `npm ci` then refuses
 * it as out of sync ("Missing: @rollup/rollup-darwin-arm64@ from lock file"). A version-only optional entry
 * is enough: `npm ci` accepts the lock and skips a platform package it cannot fetch, as it skips any
 * optional dependency that fails. Idempotent; run after `npm install` (and `.ci/run` runs it before `npm ci`).
 */
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    // npm puts a dependency beside its parent or hoists it to the top; either way it is present.
    if (packages[`${path}/node_modules/${name}`] || packages[`node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = {
      version: spec.replace(/^[\^~=]/, ""),
      optional: true,
      ...(entry.dev ? { dev: true } : {}),
    };
    added += 1;
  }
}

if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
  );
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
process.stdout.write(
  `complete-lockfile: ${added} optional platform entr${added === 1 ? "y" : "ies"} added\n`,
);
