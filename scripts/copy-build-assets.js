// `npm run build` compiles TypeScript into dist/; the files read at run time beside the code
// (the peggy grammars; JSON imports such as the vendored path registry are emitted by tsc) must sit at the same relative places there.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const assets = [{ from: "grammar", to: "dist/grammar", ext: ".peggy" }];
for (const { from, to, ext } of assets) {
  mkdirSync(join(root, to), { recursive: true });
  for (const file of readdirSync(join(root, from)).filter((f) => f.endsWith(ext))) {
    cpSync(join(root, from, file), join(root, to, file));
  }
}

// The compiled parsers beside their grammars (src/grammar.ts loads them instead of generating a
// parser at every start).
const { writeCompiledGrammars } = await import(pathToFileURL(join(root, "dist", "src", "grammar.js")).href);
writeCompiledGrammars(join(root, "dist", "grammar"));

// Last: the build is complete. bin/confn.js runs dist/ only while this stamp is newer than every
// source file.
writeFileSync(join(root, "dist", ".build-stamp"), `${new Date().toISOString()}\n`);
