/** Vitest's global setup: the process tests run `dist/`, so it is built first when a source is newer. */
export { default } from "./helpers/build-when-stale.js";
