#!/usr/bin/env node
// The confn command. In a checkout it runs the TypeScript sources through tsx's loader, so
// `npm ci && npm start` works with no build step and an edit takes effect at once (a stale dist/
// can never shadow it). A package shipped without sources runs the `npm run build` output.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "cli", "main.ts");
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(join(root, "dist", "src", "cli", "main.js")).href);
}
