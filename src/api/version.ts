// The server's version, from confn's package.json (reported by /api/info, the OpenAPI document and
// `confn --version`). Found by walking up from this module, so it works from the sources (src/api)
// and from a build (dist/src/api) alike.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "confn" && manifest.version) return manifest.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("confn's package.json not found above src/api/version.ts");
    dir = parent;
  }
}

export const version = readVersion();
