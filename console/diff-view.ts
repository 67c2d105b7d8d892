// The diff between two texts, unified or side by side, from jsdiff's structuredPatch (the `diff`
// package the CLI already uses for `--diff`): hunks with three lines of context, each line
// highlighted like the data view.
import { structuredPatch } from "diff";
import { h } from "./dom.ts";
import { highlightLine } from "./highlight.ts";

export type DiffLayout = "unified" | "split";

interface Row {
  readonly kind: "ctx" | "del" | "add";
  readonly text: string;
  readonly oldNum?: number;
  readonly newNum?: number;
}

interface Hunk {
  readonly header: string;
  readonly rows: Row[];
}

export interface DiffSummary {
  readonly added: number;
  readonly removed: number;
}

function hunks(before: string, after: string): Hunk[] {
  const patch = structuredPatch("before", "after", before, after, "", "", { context: 3 });
  return patch.hunks.map((hunk) => {
    let oldNum = hunk.oldStart;
    let newNum = hunk.newStart;
    const rows: Row[] = [];
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = line.slice(1);
      if (mark === "\\") continue; // "\ No newline at end of file"
      if (mark === "-") rows.push({ kind: "del", text, oldNum: oldNum++ });
      else if (mark === "+") rows.push({ kind: "add", text, newNum: newNum++ });
      else rows.push({ kind: "ctx", text, oldNum: oldNum++, newNum: newNum++ });
    }
    return { header: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, rows };
  });
}

export function diffSummary(before: string, after: string): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const hunk of hunks(before, after)) {
    for (const row of hunk.rows) {
      if (row.kind === "add") added++;
      if (row.kind === "del") removed++;
    }
  }
  return { added, removed };
}

const SIGN = { ctx: " ", del: "−", add: "+" } as const;

export function diffView(before: string, after: string, layout: DiffLayout, yaml: boolean): HTMLElement {
  const all = hunks(before, after);
  if (all.length === 0) return h("p", { class: "muted diff-empty" }, "No differences.");
  const body = h("tbody");
  for (const hunk of all) {
    body.appendChild(
      h("tr", { class: "hunk" }, h("td", { colspan: layout === "unified" ? 4 : 6 }, hunk.header)),
    );
    if (layout === "unified") {
      for (const row of hunk.rows) {
        body.appendChild(
          h(
            "tr",
            { class: `d-${row.kind}` },
            h("td", { class: "ln" }, row.oldNum ?? ""),
            h("td", { class: "ln" }, row.newNum ?? ""),
            h(
              "td",
              {
                class: "sign",
                "aria-label": row.kind === "ctx" ? "unchanged" : row.kind === "add" ? "added" : "removed",
              },
              SIGN[row.kind],
            ),
            h("td", { class: "src" }, highlightLine(row.text, yaml)),
          ),
        );
      }
    } else {
      for (const [left, right] of pairs(hunk.rows)) body.appendChild(splitRow(left, right, yaml));
    }
  }
  return h(
    "div",
    {
      class: "code-scroll",
      tabindex: 0,
      role: "region",
      "aria-label": `${layout === "unified" ? "Unified" : "Side-by-side"} diff`,
    },
    h("table", { class: `code diff diff-${layout}` }, body),
  );
}

/** Side by side: context on both sides, a run of removals beside the run of additions that follows. */
function pairs(rows: readonly Row[]): [Row | undefined, Row | undefined][] {
  const out: [Row | undefined, Row | undefined][] = [];
  for (let i = 0; i < rows.length;) {
    const row = rows[i]!;
    if (row.kind === "ctx") {
      out.push([row, row]);
      i++;
      continue;
    }
    const dels: Row[] = [];
    const adds: Row[] = [];
    while (i < rows.length && rows[i]!.kind === "del") dels.push(rows[i++]!);
    while (i < rows.length && rows[i]!.kind === "add") adds.push(rows[i++]!);
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) out.push([dels[k], adds[k]]);
  }
  return out;
}

function splitRow(left: Row | undefined, right: Row | undefined, yaml: boolean): HTMLElement {
  const side = (row: Row | undefined, num: number | undefined) =>
    row
      ? [
          h("td", { class: `ln d-${row.kind}` }, num ?? ""),
          h("td", { class: `sign d-${row.kind}` }, SIGN[row.kind]),
          h("td", { class: `src d-${row.kind}` }, highlightLine(row.text, yaml)),
        ]
      : [
          h("td", { class: "ln d-none" }),
          h("td", { class: "sign d-none" }),
          h("td", { class: "src d-none" }),
        ];
  return h("tr", {}, side(left, left?.oldNum), side(right, right?.newNum));
}
