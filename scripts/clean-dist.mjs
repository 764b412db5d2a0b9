// `npm run build` starts from an empty dist/: a source file deleted or renamed must not leave its old build
// behind for `npm start` to load. (A script, not `rm -rf`, so the build runs wherever npm does.)
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
