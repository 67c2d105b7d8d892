// One Unit's row in a preview: its outcome and lines added/removed at a glance; the diff table,
// validation results and error are built only when the row is opened, so a preview of 1,000 Units
// puts one summary line each into the page.
import type { InvokeResult } from "./api.ts";
import { diffSummary, diffView } from "./diff-view.ts";
import { h, replace } from "./dom.ts";
import { validationResults } from "./validation-results.ts";

export type Outcome = "changed" | "unchanged" | "failed";

/** One Unit's preview: a summary row; the diff, validation results and error render when it is opened. */
export function resultRow(
  answer: InvokeResult,
  outcome: Outcome,
  before: string,
  after: string,
  showSpace: boolean,
  yaml: boolean,
): HTMLElement {
  const summary = outcome === "changed" ? diffSummary(before, after) : undefined;
  const body = h("div", { class: "result-body" });
  const row = h(
    "details",
    { class: `result ${outcome}`, "data-unit": answer.UnitSlug },
    h(
      "summary",
      {},
      h("span", { class: `badge ${outcome}` }, outcome),
      ` ${showSpace ? `${answer.SpaceSlug}/` : ""}${answer.UnitSlug}`,
      summary ? h("span", { class: "muted" }, ` +${summary.added} −${summary.removed}`) : null,
    ),
    body,
  );
  row.addEventListener("toggle", () => {
    if (!row.open || body.firstChild) return;
    replace(
      body,
      answer.Error?.Message ? h("p", { class: "error" }, answer.Error.Message) : null,
      validationResults(answer.Outputs ?? {}),
      outcome === "changed"
        ? diffView(before, after, "unified", yaml)
        : h("p", { class: "muted" }, outcome === "unchanged" ? "No change to the data." : ""),
    );
  });
  return row;
}
