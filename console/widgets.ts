// Small pieces several views share: an error box, label chips, gate badges, a page heading.
import { ApiError } from "./api.ts";
import { h } from "./dom.ts";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.status}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function errorBox(error: unknown): HTMLElement {
  return h("p", { class: "error", role: "alert" }, errorText(error));
}

export function labelChips(labels: Record<string, string> | undefined): HTMLElement {
  const entries = Object.entries(labels ?? {});
  return h(
    "span",
    { class: "chips" },
    entries.length
      ? entries.map(([k, v]) => h("span", { class: "chip" }, `${k}=${v}`))
      : h("span", { class: "muted" }, "—"),
  );
}

/** ApplyGates (blocking) and ApplyWarnings: each key names the Trigger (space/trigger/function) that set it. */
export function gateBadges(
  gates: Record<string, boolean> | undefined,
  warnings: Record<string, boolean> | undefined,
): HTMLElement {
  const g = Object.keys(gates ?? {});
  const w = Object.keys(warnings ?? {});
  if (!g.length && !w.length) return h("span", { class: "badge ok" }, "clear");
  return h(
    "span",
    { class: "chips" },
    g.map((key) => h("span", { class: "badge gate", title: `ApplyGate set by ${key}` }, `gate: ${key}`)),
    w.map((key) =>
      h("span", { class: "badge warn", title: `ApplyWarning set by ${key}` }, `warning: ${key}`),
    ),
  );
}

export function heading(text: string, ...extra: (Node | string)[]): HTMLElement {
  return h("div", { class: "page-head" }, h("h1", {}, text), ...extra);
}

export function spaceTabs(spaceId: string, current: "units" | "run" | "triggers"): HTMLElement {
  const tab = (name: typeof current, label: string, href: string) =>
    h(
      "a",
      {
        href,
        class: name === current ? "tab current" : "tab",
        ...(name === current ? { "aria-current": "page" } : {}),
      },
      label,
    );
  return h(
    "nav",
    { class: "tabs", "aria-label": "Space" },
    tab("units", "Units", `#/space/${spaceId}`),
    tab("run", "Run functions", `#/space/${spaceId}/run`),
    tab("triggers", "Triggers and gates", `#/space/${spaceId}/triggers`),
  );
}
