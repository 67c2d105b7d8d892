#!/usr/bin/env node
// The confn command. Runs the TypeScript sources through tsx's loader, so `npm ci && npm start`
// works with no build step; a `npm run build` output in dist/ is used when present.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "src", "cli", "main.js");
if (existsSync(built) && process.env.CONFN_USE_SOURCES !== "1") {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(root, "src", "cli", "main.ts")).href);
}
