// A Space's Triggers and the Units they gate: every ApplyGate/ApplyWarning key names the Trigger
// that set it (space/trigger/function); "Why" re-runs that Trigger on the Unit as a dry run and
// shows what its validation said.
import {
  unwrap,
  api,
  entities,
  quote,
  type InvokeResult,
  type Space,
  type Trigger,
  type Unit,
} from "../api.ts";
import type { Context } from "../context.ts";
import { h, replace } from "../dom.ts";
import { listUnits } from "../selection.ts";
import { validationResults } from "../validation-results.ts";
import { errorBox, heading, spaceTabs } from "../widgets.ts";

export async function triggersView(view: HTMLElement, context: Context, spaceId: string): Promise<void> {
  let space: Space;
  let triggers: Trigger[];
  let units: Unit[];
  /** The slug of the bridge worker that runs each Trigger's function, by TriggerID (built-ins: none). */
  let workerOf: Map<string, string>;
  try {
    const [s, list, u] = await Promise.all([
      api<Space>(`/space/${spaceId}`, { signal: context.signal }).then((a) => unwrap<Space>(a, "Space")),
      api<{ Trigger: Trigger; BridgeWorker?: { Slug?: string } }[]>(`/space/${spaceId}/trigger`, {
        signal: context.signal,
        query: { include: "BridgeWorkerID" },
      }),
      listUnits(
        spaceId,
        { where: "", whereData: "", filterId: "" },
        context.signal,
        "Slug,ApplyGates,ApplyWarnings",
      ),
    ]);
    space = s;
    triggers = entities<Trigger>(list, "Trigger");
    workerOf = new Map(
      (list ?? []).flatMap((entry) =>
        entry.BridgeWorker?.Slug ? [[entry.Trigger.TriggerID, entry.BridgeWorker.Slug] as const] : [],
      ),
    );
    units = u;
  } catch (error) {
    if (!context.signal.aborted) replace(view, heading("Triggers and gates"), errorBox(error));
    return;
  }
  const gatedBy = (key: string) =>
    units.filter((u) => key in (u.ApplyGates ?? {}) || key in (u.ApplyWarnings ?? {}));
  const cards = triggers.map((trigger) => {
    const key = `${space.Slug}/${trigger.Slug}/${trigger.FunctionName}`;
    const gated = gatedBy(key);
    const args = (trigger.Arguments ?? [])
      .map((a) => `${a.ParameterName ? `${a.ParameterName}=` : ""}${JSON.stringify(a.Value)}`)
      .join(", ");
    return h(
      "section",
      { class: "card trigger", "aria-label": `Trigger ${trigger.Slug}` },
      h(
        "h2",
        {},
        trigger.Slug,
        " ",
        h("span", { class: "badge" }, trigger.Event),
        trigger.Disabled ? h("span", { class: "badge" }, "disabled") : null,
        trigger.Warn
          ? h("span", { class: "badge warn" }, "warns")
          : h("span", { class: "badge gate" }, "gates"),
      ),
      trigger.Description ? h("p", {}, trigger.Description) : null,
      h(
        "p",
        {},
        h("code", {}, `${trigger.FunctionName}(${args})`),
        ` on ${trigger.ToolchainType}`,
        workerOf.has(trigger.TriggerID) ? `, run by bridge worker ${workerOf.get(trigger.TriggerID)}` : null,
        trigger.WhereUnit ? [" where ", h("code", {}, trigger.WhereUnit)] : null,
      ),
      h(
        "p",
        {},
        `Gate key `,
        h("code", {}, key),
        `: ${gated.length} Unit${gated.length === 1 ? "" : "s"} ${trigger.Warn ? "warned" : "gated"}.`,
      ),
      gated.length
        ? h(
            "ul",
            { class: "gated" },
            gated.map((unit) => gatedUnit(spaceId, unit, trigger, context)),
          )
        : null,
    );
  });
  const known = new Set(triggers.map((t) => `${space.Slug}/${t.Slug}/${t.FunctionName}`));
  const others = [
    ...new Set(
      units.flatMap((u) => [...Object.keys(u.ApplyGates ?? {}), ...Object.keys(u.ApplyWarnings ?? {})]),
    ),
  ].filter((k) => !known.has(k));
  replace(
    view,
    heading(`Triggers and gates in ${space.Slug}`, h("a", { href: "#/" }, "All Spaces")),
    spaceTabs(spaceId, "triggers"),
    triggers.length ? cards : h("p", { class: "muted" }, "This Space has no Triggers."),
    others.length
      ? h(
          "section",
          { class: "card" },
          h("h2", {}, "Gates set by Triggers of other Spaces"),
          h(
            "ul",
            {},
            others.map((key) =>
              h(
                "li",
                {},
                h("code", {}, key),
                `: ${gatedBy(key)
                  .map((u) => u.Slug)
                  .join(", ")}`,
              ),
            ),
          ),
        )
      : null,
  );
}

function gatedUnit(spaceId: string, unit: Unit, trigger: Trigger, context: Context): HTMLElement {
  const why = h("div", { class: "why", "aria-live": "polite" });
  const button = h("button", { type: "button" }, `Why is ${unit.Slug} gated?`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const [answer] = await api<InvokeResult[]>(`/space/${spaceId}/function/invoke`, {
        method: "POST",
        signal: context.signal,
        query: { dry_run: true, where: `UnitID = ${quote(unit.UnitID)}` },
        body: { Triggers: [trigger.TriggerID], ToolchainType: trigger.ToolchainType },
      });
      replace(
        why,
        answer?.Error?.Message ? h("p", { class: "error" }, answer.Error.Message) : null,
        validationResults(answer?.Outputs ?? {}) ??
          h("p", { class: "muted" }, "The Trigger returned no validation result."),
      );
    } catch (error) {
      replace(why, errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return h("li", {}, h("a", { href: `#/space/${spaceId}/unit/${unit.UnitID}` }, unit.Slug), " ", button, why);
}
