// A list as a table that fits the terminal: columns two spaces apart, and when the natural width is
// more than the terminal has, the flexible columns (free text, label lists) give up width first,
// widest first, then the others, each down to its header's width; a cut cell ends in `…`. Off a
// terminal (a pipe, a file, CI) nothing is cut: a script gets every character.
export interface FitColumn {
  readonly header: string;
  readonly flexible?: boolean;
}

const GAP = 2;
/** No column is cut narrower than this (or its header), so a cut cell still says something. */
const MIN_WIDTH = 6;

export function fitTable(
  columns: readonly FitColumn[],
  rows: readonly (readonly string[])[],
  maxWidth: number | undefined,
): string {
  const clean = rows.map((row) => row.map((cell) => cell.replace(/[\r\n\t]+/g, " ")));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...clean.map((row) => (row[i] ?? "").length)),
  );
  if (maxWidth !== undefined) shrink(columns, widths, maxWidth);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const cut = cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell;
        return i === cells.length - 1 ? cut : cut.padEnd(widths[i]! + GAP);
      })
      .join("")
      .trimEnd();
  return [columns.map((c) => c.header), ...clean].map((cells) => `${line(cells)}\n`).join("");
}

function shrink(columns: readonly FitColumn[], widths: number[], maxWidth: number): void {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP * (widths.length - 1);
  const floor = (i: number) => Math.max(columns[i]!.header.length, MIN_WIDTH);
  for (const flexibleFirst of [true, false]) {
    while (total() > maxWidth) {
      let widest = -1;
      widths.forEach((w, i) => {
        if (flexibleFirst && !columns[i]!.flexible) return;
        if (w > floor(i) && (widest < 0 || w > widths[widest]!)) widest = i;
      });
      if (widest < 0) break;
      widths[widest] = widths[widest]! - 1;
    }
  }
}

/** The width to fit: the terminal's columns, or none (no cutting) when stdout is not a terminal. */
export function terminalWidth(stdout: { isTTY?: boolean; columns?: number }): number | undefined {
  return stdout.isTTY === true && typeof stdout.columns === "number" && stdout.columns > 0
    ? stdout.columns
    : undefined;
}
