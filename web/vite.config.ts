import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The studio page: built into dist/web/ and served by the bot under /studio/ (no other host, no inline script).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/studio/",
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be an inline script, which the page's Content-Security-Policy refuses.
    modulePreload: { polyfill: false },
    // Small images stay files too: `img-src` allows data: but one rule for every asset is simpler to serve.
    assetsInlineLimit: 0,
    target: "es2022",
  },
});
