// A Space's Units: where / where_data / saved Filter (each checked by the server as the user types),
// a table with the Units' labels, toolchain, head Revision and gates, and rows to tick for a run.
import { unwrap, api, ApiError, type Space, type Unit } from "../api.ts";
import { tickedIn, type Context } from "../context.ts";
import { debounce, h, replace } from "../dom.ts";
import { errorTarget, expressionBox } from "../expression-box.ts";
import { filterPicker, listUnits } from "../selection.ts";
import { errorBox, gateBadges, heading, labelChips, spaceTabs } from "../widgets.ts";

export async function unitsView(view: HTMLElement, context: Context, spaceId: string): Promise<void> {
  let space: Space;
  let filter: HTMLSelectElement;
  try {
    [space, filter] = await Promise.all([
      api<Space>(`/space/${spaceId}`, { signal: context.signal }).then((a) => unwrap<Space>(a, "Space")),
      filterPicker(spaceId, context.signal),
    ]);
  } catch (error) {
    if (!context.signal.aborted) replace(view, heading("Units"), errorBox(error));
    return;
  }
  const ticked = tickedIn(context, spaceId);
  const where = expressionBox("where", "where", "Labels.tier = 'backend' AND HeadRevisionNum > 1");
  const whereData = expressionBox("where_data", "where_data", "spec.replicas > 1");
  const filterError = h("div", { "aria-live": "polite" });
  const status = h("p", { class: "muted", "aria-live": "polite" });
  const results = h("div", { class: "table-scroll" });
  const runLink = h("a", { class: "button", href: `#/space/${spaceId}/run` });
  const updateRunLink = () => {
    runLink.textContent = ticked.size
      ? `Run functions on ${ticked.size} ticked Unit${ticked.size === 1 ? "" : "s"}`
      : "Run functions";
  };
  updateRunLink();

  let inFlight: AbortController | undefined;
  const refresh = async () => {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    context.signal.addEventListener("abort", () => controller.abort(), { once: true });
    status.textContent = "Loading…";
    try {
      const units = await listUnits(
        spaceId,
        { where: where.value(), whereData: whereData.value(), filterId: filter.value },
        controller.signal,
      );
      where.showError(undefined);
      whereData.showError(undefined);
      replace(filterError);
      status.textContent = `${units.length} Unit${units.length === 1 ? "" : "s"}`;
      replace(results, unitTable(spaceId, units, ticked, updateRunLink));
    } catch (error) {
      if (controller.signal.aborted) return;
      status.textContent = "";
      if (error instanceof ApiError && error.status === 400) {
        const target = errorTarget(error.message);
        where.showError(target === "where" ? error.message : undefined);
        whereData.showError(target === "where_data" ? error.message : undefined);
        replace(filterError, target === "filter" ? errorBox(error) : null);
      } else {
        replace(results, errorBox(error));
      }
    }
  };
  const typed = debounce(() => void refresh(), 300);
  where.input.addEventListener("input", typed);
  whereData.input.addEventListener("input", typed);
  filter.addEventListener("change", () => void refresh());

  replace(
    view,
    heading(`Space ${space.Slug}`, h("a", { href: "#/" }, "All Spaces")),
    spaceTabs(spaceId, "units"),
    h(
      "section",
      { class: "card filters", "aria-label": "Select Units" },
      where.element,
      whereData.element,
      h("div", { class: "field" }, h("label", { for: "filter" }, "Saved Filter"), filter, filterError),
    ),
    h("div", { class: "toolbar" }, status, runLink),
    results,
  );
  await refresh();
}

function unitTable(
  spaceId: string,
  units: readonly Unit[],
  ticked: Set<string>,
  changed: () => void,
): HTMLElement {
  if (!units.length) return h("p", { class: "muted" }, "No Unit matches.");
  const boxes: HTMLInputElement[] = [];
  const all = h("input", { type: "checkbox", "aria-label": "Tick every Unit shown" });
  const rows = units.map((unit) => {
    const box = h("input", { type: "checkbox", "aria-label": `Tick ${unit.Slug}`, value: unit.UnitID });
    box.checked = ticked.has(unit.UnitID);
    box.addEventListener("change", () => {
      if (box.checked) ticked.add(unit.UnitID);
      else ticked.delete(unit.UnitID);
      changed();
    });
    boxes.push(box);
    return h(
      "tr",
      {},
      h("td", {}, box),
      h("td", {}, h("a", { href: `#/space/${spaceId}/unit/${unit.UnitID}` }, unit.Slug)),
      h("td", {}, labelChips(unit.Labels)),
      h("td", {}, unit.ToolchainType),
      h("td", { class: "num" }, unit.HeadRevisionNum ?? ""),
      h("td", {}, gateBadges(unit.ApplyGates, unit.ApplyWarnings)),
    );
  });
  all.checked = boxes.length > 0 && boxes.every((b) => b.checked);
  all.addEventListener("change", () => {
    for (const box of boxes) {
      box.checked = all.checked;
      if (all.checked) ticked.add(box.value);
      else ticked.delete(box.value);
    }
    changed();
  });
  return h(
    "table",
    { class: "grid units" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, all),
        ...["Unit", "Labels", "Toolchain", "Head", "ApplyGates / ApplyWarnings"].map((t) =>
          h("th", { scope: "col" }, t),
        ),
      ),
    ),
    h("tbody", {}, rows),
  );
}
