// A Unit's change as a unified diff (diff's createTwoFilesPatch, 3 lines of context, no Index/====
// preamble), coloured line by line when the terminal allows.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import type { Paint, Style } from "./terminal-style.ts";

export interface DiffSides {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly beforeLabel: string;
  readonly afterLabel: string;
}

export function unifiedDiff(sides: DiffSides, paint: Paint): string {
  const patch = createTwoFilesPatch(
    sides.name,
    sides.name,
    sides.before,
    sides.after,
    sides.beforeLabel,
    sides.afterLabel,
    { context: 3, headerOptions: FILE_HEADERS_ONLY },
  );
  return patch
    .split("\n")
    .map((line) => {
      const style = lineStyle(line);
      return style ? paint(style, line) : line;
    })
    .join("\n");
}

function lineStyle(line: string): Style | undefined {
  if (line.startsWith("+++") || line.startsWith("---")) return "bold";
  if (line.startsWith("@@")) return "cyan";
  if (line.startsWith("+")) return "green";
  if (line.startsWith("-")) return "red";
  return undefined;
}
