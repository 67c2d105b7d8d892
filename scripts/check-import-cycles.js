// `npm run lint`: fails on any import cycle between source files, type-only imports included (a type
// cycle still ties two modules' designs together, and ESLint's import-x/no-cycle skips those).
// Reads each file's imports with the TypeScript compiler's pre-processor (no type check: ~1 s) and
// reports every strongly connected component of the import graph.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

// The repository by default; a test passes another tree to check.
const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const sourceDirs = ["src", "functions", "migrations", "bench", "console"];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const graph = new Map();
const existingDirs = sourceDirs.map((dir) => join(root, dir)).filter((dir) => existsSync(dir));
for (const file of existingDirs.flatMap((dir) => sourceFiles(dir))) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
  const targets = importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => resolve(dirname(file), specifier))
    .filter((target) => target.endsWith(".ts") && existsSync(target));
  graph.set(file, targets);
}

// Tarjan's strongly connected components, iterative so deep graphs cannot overflow the stack.
function cycles(edges) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const targets = edges.get(node) ?? [];
      if (i < targets.length) {
        frame[1]++;
        const target = targets[i];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || (edges.get(node) ?? []).includes(node)) found.push(component);
      }
    }
  }
  return found;
}

const reported = cycles(graph).map((component) => component.map((file) => relative(root, file)).sort());
for (const component of reported) console.error(`import cycle between: ${component.join(", ")}`);
if (reported.length > 0) {
  console.error(`${reported.length} import cycle(s): move what both sides need into a module of its own.`);
  process.exit(1);
}
