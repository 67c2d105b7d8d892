// The organization's Spaces with their Unit counts.
import { api, type Space } from "../api.ts";
import type { Context } from "../context.ts";
import { h, replace } from "../dom.ts";
import { errorBox, heading, labelChips } from "../widgets.ts";

export async function spacesView(view: HTMLElement, context: Context): Promise<void> {
  try {
    const list = await api<{ Space: Space; TotalUnitCount?: number }[]>("/space", { signal: context.signal });
    const rows = list.map(({ Space: space, TotalUnitCount }) =>
      h(
        "tr",
        {},
        h("td", {}, h("a", { href: `#/space/${space.SpaceID}` }, space.Slug)),
        h("td", {}, space.DisplayName),
        h("td", {}, labelChips(space.Labels)),
        h("td", { class: "num" }, TotalUnitCount ?? ""),
        h("td", {}, h("a", { href: `#/space/${space.SpaceID}/triggers` }, "Triggers")),
      ),
    );
    replace(
      view,
      heading("Spaces"),
      list.length
        ? h(
            "div",
            { class: "table-scroll" },
            h(
              "table",
              { class: "grid" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["Space", "Display name", "Labels", "Units", ""].map((t) => h("th", { scope: "col" }, t)),
                ),
              ),
              h("tbody", {}, rows),
            ),
          )
        : h(
            "p",
            { class: "muted" },
            "This organization has no Spaces yet (create one with POST /api/space).",
          ),
    );
  } catch (error) {
    if (!context.signal.aborted) replace(view, heading("Spaces"), errorBox(error));
  }
}
