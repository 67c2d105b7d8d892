// Column-aligned text in the style of Go's tabwriter (minwidth 0, padding 4, spaces), which is how
// ConfigHub's CLIs print their tables.
export function formatTable(rows: readonly (readonly string[])[], padding = 4): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + padding)))
        .join("")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
