// Builds the web console (console/) into dist/console/: esbuild bundles the TypeScript with jsdiff
// into one ES module (the page loads nothing from elsewhere), and the HTML and CSS are copied.
// esbuild's JavaScript API uses the platform binary from its @esbuild/* package; it needs no
// install script. Usage: node scripts/build-console.js [outdir]
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "dist", "console"));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "console", "main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  logLevel: "warning",
});
for (const file of ["index.html", "styles.css"]) cpSync(join(root, "console", file), join(out, file));
