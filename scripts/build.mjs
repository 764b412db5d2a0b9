// `npm run build`: compiles into dist.next/, then puts it in dist/'s place in one rename, so a program starting
// meanwhile (a test run beside a build) finds the old build or the new one, never half of one; and a source
// deleted or renamed leaves no old file behind for `npm start` to load. The studio page (web/) is bundled by Vite
// into dist.next/web before the rename, so the page and the server that serves it always come from one build.
import { execFileSync } from "node:child_process";
import { renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (path) => `${root}${path}`;
rmSync(at("dist.next"), { recursive: true, force: true });
try {
  execFileSync(
    process.execPath,
    [at("node_modules/typescript/bin/tsc"), "-p", at("tsconfig.build.json"), "--outDir", at("dist.next")],
    {
      stdio: "inherit",
    },
  );
  const { build } = await import("vite");
  await build({
    configFile: at("web/vite.config.ts"),
    build: { outDir: at("dist.next/web") },
    logLevel: "warn",
  });
} catch {
  rmSync(at("dist.next"), { recursive: true, force: true });
  process.exit(1);
}
rmSync(at("dist.old"), { recursive: true, force: true });
try {
  renameSync(at("dist"), at("dist.old"));
} catch (error) {
  if (error.code !== "ENOENT") throw error;
}
renameSync(at("dist.next"), at("dist"));
rmSync(at("dist.old"), { recursive: true, force: true });
