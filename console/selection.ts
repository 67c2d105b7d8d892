// The Unit selection a Units page or a Run page builds: where, where_data and a saved Filter, all
// optional and AND-ed by the server; listing with it is also how a typed expression is checked.
import { api, entities, type Filter, type Unit } from "./api.ts";
import { h } from "./dom.ts";

export interface Selection {
  readonly where: string;
  readonly whereData: string;
  readonly filterId: string;
}

export const UNIT_COLUMNS = "Slug,Labels,ToolchainType,HeadRevisionNum,ApplyGates,ApplyWarnings";

/** The Units of a Space (or of the organization when spaceId is undefined) that the selection picks. */
export async function listUnits(
  spaceId: string | undefined,
  selection: Selection,
  signal: AbortSignal,
  select = UNIT_COLUMNS,
): Promise<Unit[]> {
  const path = spaceId ? `/space/${spaceId}/unit` : "/unit";
  const list = await api<{ Unit: Unit }[]>(path, {
    signal,
    query: { where: selection.where, where_data: selection.whereData, filter: selection.filterId, select },
  });
  return entities<Unit>(list, "Unit");
}

/** A <select> of the Space's saved Filters over Units (empty: none). */
export async function filterPicker(spaceId: string, signal: AbortSignal): Promise<HTMLSelectElement> {
  const select = h(
    "select",
    { id: "filter", name: "filter" },
    h("option", { value: "" }, "(no saved Filter)"),
  );
  const filters = entities<Filter>(
    await api<{ Filter: Filter }[]>(`/space/${spaceId}/filter`, { signal }),
    "Filter",
  );
  for (const filter of filters.filter((f) => f.From === "Unit")) {
    const text = [filter.Where, filter.WhereData && `data: ${filter.WhereData}`].filter(Boolean).join(" · ");
    select.appendChild(h("option", { value: filter.FilterID }, `${filter.Slug}${text ? ` — ${text}` : ""}`));
  }
  return select;
}
