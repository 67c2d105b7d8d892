#!/usr/bin/env node
// The confn command. It runs the compiled dist/ (built by `npm ci` through the `prepare` script) when
// that build is at least as new as every source file, so a normal invocation never pays for the
// TypeScript loader (issue 16: ~2x the CPU of the compiled code). In a checkout whose sources changed
// since the last build it runs them through tsx's loader instead, so an edit takes effect at once and
// a stale dist/ can never shadow it. A package shipped without sources runs dist/ as is.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "cli", "main.ts");
const compiled = join(root, "dist", "src", "cli", "main.js");
// Written by scripts/copy-build-assets.js as the last step of `npm run build`.
const stamp = join(root, "dist", ".build-stamp");

/** Newest modification time (ms) of the files under `dir`, or 0 when it does not exist. */
function newestUnder(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(stamp) || !existsSync(compiled)) return false;
  const built = statSync(stamp).mtimeMs;
  return ["src", "functions", "grammar", "migrations"].every((dir) => newestUnder(join(root, dir)) <= built);
}

if (!existsSync(source) || buildIsCurrent()) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(source).href);
}
