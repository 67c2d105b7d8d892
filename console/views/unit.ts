// One Unit: its data (highlighted, numbered), its Revisions as a timeline with each Mutation's
// functions and changed paths, the diff between any two Revisions, and restore (editors).
import { unwrap, api, entities, fromBase64, type Mutation, type Revision, type Unit } from "../api.ts";
import type { Context } from "../context.ts";
import { diffView, type DiffLayout } from "../diff-view.ts";
import { h, replace } from "../dom.ts";
import { codeView, isYaml } from "../highlight.ts";
import { errorBox, gateBadges, heading, labelChips } from "../widgets.ts";

export async function unitView(
  view: HTMLElement,
  context: Context,
  spaceId: string,
  unitId: string,
  focusRevisionId?: string,
): Promise<void> {
  const base = `/space/${spaceId}/unit/${unitId}`;
  let unit: Unit;
  let revisions: Revision[];
  let mutations: Mutation[];
  try {
    const [unitAnswer, revisionList, mutationList] = await Promise.all([
      api<Unit | { Unit: Unit }>(base, { signal: context.signal }),
      api<{ Revision: Revision }[]>(`${base}/revision`, {
        signal: context.signal,
        query: { select: "RevisionNum,Source,Description,CreatedAt,ApplyGates" },
      }),
      api<{ Mutation: Mutation }[]>(`${base}/mutation`, { signal: context.signal }),
    ]);
    unit = unwrap<Unit>(unitAnswer, "Unit");
    revisions = entities<Revision>(revisionList, "Revision").sort((a, b) => b.RevisionNum - a.RevisionNum);
    mutations = entities<Mutation>(mutationList, "Mutation");
  } catch (error) {
    if (!context.signal.aborted) replace(view, heading("Unit"), errorBox(error));
    return;
  }
  const yaml = isYaml(unit.ToolchainType);
  const dataCache = new Map<string, Promise<string>>();
  const revisionData = (revisionId: string) => {
    let data = dataCache.get(revisionId);
    if (!data) {
      data = api<string>(`${base}/revision/${revisionId}/data`, { text: true, signal: context.signal });
      dataCache.set(revisionId, data);
    }
    return data;
  };

  // The diff between two Revisions.
  const option = (r: Revision) =>
    h(
      "option",
      { value: r.RevisionID },
      `#${r.RevisionNum} ${r.Source}${r.Description ? ` — ${r.Description}` : ""}`,
    );
  const from = h("select", { id: "diff-from", name: "from" }, revisions.map(option));
  const to = h("select", { id: "diff-to", name: "to" }, revisions.map(option));
  const layout = h(
    "select",
    { id: "diff-layout", name: "layout" },
    h("option", { value: "unified" }, "Unified"),
    h("option", { value: "split" }, "Side by side"),
  );
  const diffOut = h("div", { class: "diff-out", "aria-live": "polite" });
  const showDiff = async () => {
    const [before, after] = await Promise.all([revisionData(from.value), revisionData(to.value)]).catch(
      (error: unknown) => {
        replace(diffOut, errorBox(error));
        return [undefined, undefined];
      },
    );
    if (before === undefined || after === undefined) return;
    const fromRev = revisions.find((r) => r.RevisionID === from.value);
    const toRev = revisions.find((r) => r.RevisionID === to.value);
    replace(
      diffOut,
      h("p", { class: "muted" }, `Revision #${fromRev?.RevisionNum} → #${toRev?.RevisionNum}`),
      diffView(before, after, layout.value as DiffLayout, yaml),
    );
  };
  const compare = (older: Revision, newer: Revision) => {
    from.value = older.RevisionID;
    to.value = newer.RevisionID;
    void showDiff();
  };
  for (const select of [from, to, layout]) select.addEventListener("change", () => void showDiff());

  const status = h("div", { "aria-live": "polite" });
  const restore = async (revision: Revision) => {
    if (!confirm(`Restore ${unit.Slug} to Revision #${revision.RevisionNum}? This writes a new Revision.`))
      return;
    try {
      await api(base, {
        method: "PATCH",
        query: { restore: `Revision:${revision.RevisionID}` },
        body: { LastChangeDescription: `Restore to Revision #${revision.RevisionNum}` },
      });
      location.hash = `#/space/${spaceId}/unit/${unitId}`;
      await unitView(view, context, spaceId, unitId);
    } catch (error) {
      replace(status, errorBox(error));
    }
  };

  const timeline = h(
    "ol",
    { class: "timeline" },
    revisions.map((revision, index) => {
      const previous = revisions[index + 1];
      const mutation = mutations.find((m) => m.RevisionID === revision.RevisionID);
      return h(
        "li",
        {
          class: revision.RevisionID === focusRevisionId ? "focused" : "",
          id: `rev-${revision.RevisionNum}`,
        },
        h(
          "div",
          { class: "rev-head" },
          h("strong", {}, `#${revision.RevisionNum}`),
          h("span", { class: "badge" }, revision.Source),
          h("time", { datetime: revision.CreatedAt }, new Date(revision.CreatedAt).toLocaleString()),
          revision.RevisionNum === unit.HeadRevisionNum ? h("span", { class: "badge ok" }, "head") : null,
        ),
        revision.Description ? h("p", {}, revision.Description) : null,
        mutation ? mutationDetails(mutation) : null,
        h(
          "div",
          { class: "rev-actions" },
          previous
            ? h(
                "button",
                { type: "button", onclick: () => compare(previous, revision) },
                `Diff #${previous.RevisionNum} → #${revision.RevisionNum}`,
              )
            : null,
          context.canWrite && revision.RevisionNum !== unit.HeadRevisionNum
            ? h(
                "button",
                { type: "button", class: "write", onclick: () => void restore(revision) },
                `Restore #${revision.RevisionNum}`,
              )
            : null,
        ),
      );
    }),
  );

  replace(
    view,
    heading(`Unit ${unit.Slug}`, h("a", { href: `#/space/${spaceId}` }, `Space ${unit.SpaceSlug ?? ""}`)),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Toolchain"),
      h("dd", {}, unit.ToolchainType),
      h("dt", {}, "Head Revision"),
      h("dd", {}, `#${unit.HeadRevisionNum ?? ""}`),
      h("dt", {}, "Labels"),
      h("dd", {}, labelChips(unit.Labels)),
      h("dt", {}, "Gates"),
      h("dd", {}, gateBadges(unit.ApplyGates, unit.ApplyWarnings)),
    ),
    status,
    h(
      "div",
      { class: "unit-columns" },
      h(
        "section",
        { class: "card", "aria-labelledby": "data-h" },
        h("h2", { id: "data-h" }, "Data"),
        codeView(fromBase64(unit.Data), unit.ToolchainType),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "rev-h" },
        h("h2", { id: "rev-h" }, `Revisions (${revisions.length})`),
        timeline,
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "diff-h" },
      h("h2", { id: "diff-h" }, "Diff"),
      h(
        "div",
        { class: "diff-controls" },
        h("div", { class: "field" }, h("label", { for: "diff-from" }, "From"), from),
        h("div", { class: "field" }, h("label", { for: "diff-to" }, "To"), to),
        h("div", { class: "field" }, h("label", { for: "diff-layout" }, "Layout"), layout),
      ),
      diffOut,
    ),
  );
  // Start with the focused Revision (a link from a run) or the head against the one before it.
  const focus = revisions.findIndex((r) => r.RevisionID === focusRevisionId);
  const newer = revisions[Math.max(0, focus)];
  const older = revisions[Math.max(0, focus) + 1] ?? newer;
  if (newer && older) compare(older, newer);
  if (focus >= 0)
    document.getElementById(`rev-${revisions[focus]!.RevisionNum}`)?.scrollIntoView({ block: "nearest" });
}

/** A Mutation's functions (with arguments) and the paths it changed, per resource. */
function mutationDetails(mutation: Mutation): HTMLElement {
  const calls = mutation.FunctionInvocations ?? [];
  const paths: string[] = [];
  for (const resource of mutation.ResourceMutations ?? []) {
    const name = resource.Resource?.ResourceName ?? "";
    const info = resource.ResourceMutationInfo?.MutationType;
    const pathEntries = Object.entries(resource.PathMutationMap ?? {});
    if (!pathEntries.length && info && info !== "None") paths.push(`${name}: ${info}`);
    for (const [path, change] of pathEntries) paths.push(`${name} ${path} (${change.MutationType})`);
  }
  return h(
    "div",
    { class: "mutation" },
    calls.length
      ? h(
          "p",
          {},
          "Functions: ",
          calls.map((call, i) =>
            h(
              "code",
              { class: "call" },
              `${i ? ", " : ""}${call.FunctionName}(${(call.Arguments ?? []).map((a) => `${a.ParameterName ? `${a.ParameterName}=` : ""}${JSON.stringify(a.Value)}`).join(", ")})`,
            ),
          ),
        )
      : null,
    mutation.RestoredRevisionNum ? h("p", {}, `Restored Revision #${mutation.RestoredRevisionNum}`) : null,
    paths.length
      ? h(
          "details",
          {},
          h("summary", {}, `${paths.length} changed path${paths.length === 1 ? "" : "s"}`),
          h(
            "ul",
            { class: "paths" },
            paths.map((p) => h("li", {}, h("code", {}, p))),
          ),
        )
      : null,
  );
}
