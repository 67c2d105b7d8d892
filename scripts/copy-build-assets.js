// `npm run build` compiles TypeScript into dist/; the files read at run time beside the code
// (peggy grammars, the vendored path registry) must sit at the same relative places there.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const assets = [
  { from: "grammar", to: "dist/grammar", ext: ".peggy" },
  { from: "src/config/registry", to: "dist/src/config/registry", ext: ".json" },
];
for (const { from, to, ext } of assets) {
  mkdirSync(join(root, to), { recursive: true });
  for (const file of readdirSync(join(root, from)).filter((f) => f.endsWith(ext))) {
    cpSync(join(root, from, file), join(root, to, file));
  }
}
