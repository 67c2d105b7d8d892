// Run functions: pick functions (a form per FunctionSignature) of the built-ins or of one bridge
// worker, pick Units (where, where_data, a saved Filter, ticked rows; this Space or every Space),
// preview as a dry run, then apply.
// Both go in batches of Units named by ID, so a long org-wide preview shows its progress, renders
// each Unit's row as its batch lands, computes a diff only when its row is opened, and can be
// cancelled; apply writes exactly the Units the preview showed changing.
import {
  unwrap,
  api,
  ApiError,
  fromBase64,
  quote,
  type FunctionSignature,
  type InvokeResult,
  type ListedBridgeWorker,
  type Space,
  type Unit,
} from "../api.ts";
import { tickedIn, type Context } from "../context.ts";
import { debounce, h, nextFrame, replace } from "../dom.ts";
import { errorTarget, expressionBox } from "../expression-box.ts";
import { functionForm, type FunctionForm } from "../function-form.ts";
import { isYaml } from "../highlight.ts";
import { resultRow, type Outcome } from "../preview-row.ts";
import { filterPicker, listUnits, type Selection } from "../selection.ts";
import { errorBox, errorText, heading, spaceTabs } from "../widgets.ts";

/** Units per request: a `UnitID IN (...)` of this many IDs stays far below the 4096-character `where` limit. */
const BATCH = 25;
/** Longest stretch of rendering between two frames while a preview lands. */
const FRAME_BUDGET_MS = 12;

interface Previewed {
  readonly unit: Pick<Unit, "UnitID" | "SpaceID" | "Slug">;
  readonly outcome: Outcome;
}

export async function runView(view: HTMLElement, context: Context, spaceId: string): Promise<void> {
  let space: Space;
  let catalogue: Record<string, Record<string, FunctionSignature>>;
  let filter: HTMLSelectElement;
  let workers: ListedBridgeWorker[];
  try {
    [space, catalogue, filter, workers] = await Promise.all([
      api<Space>(`/space/${spaceId}`, { signal: context.signal }).then((a) => unwrap<Space>(a, "Space")),
      api<Record<string, Record<string, FunctionSignature>>>(`/space/${spaceId}/function`, {
        signal: context.signal,
      }),
      filterPicker(spaceId, context.signal),
      api<ListedBridgeWorker[] | null>("/bridge_worker", {
        signal: context.signal,
        query: { include: "SpaceID" },
      }).then((list) => list ?? []),
    ]);
  } catch (error) {
    if (!context.signal.aborted) replace(view, heading("Run functions"), errorBox(error));
    return;
  }
  const ticked = tickedIn(context, spaceId);

  // Functions: the built-ins', or one bridge worker's (the calls then name it: BridgeWorkerID).
  const builtins = catalogue;
  /** The worker that runs the functions; "" for the built-ins. */
  let executor = "";
  const forms: FunctionForm[] = [];
  const formList = h("div", { class: "forms" });
  const toolchainOptions = () => Object.keys(catalogue).map((t) => h("option", { value: t }, t));
  const toolchain = h("select", { id: "toolchain" }, toolchainOptions());
  const executorPick = h("select", { id: "executor" }, [
    h("option", { value: "" }, "Built-in functions"),
    ...workers.map(({ BridgeWorker: w, Space: s }) =>
      h(
        "option",
        { value: w.BridgeWorkerID },
        `Bridge worker ${w.Slug} (${s?.Slug ?? w.SpaceID}): ${w.Condition}`,
      ),
    ),
  ]);
  const executorNote = h("div", { "aria-live": "polite" });
  const picker = h("select", { id: "function-pick" });
  const fillPicker = () => {
    const functions = Object.values(catalogue[toolchain.value] ?? {}).sort((a, b) =>
      a.FunctionName.localeCompare(b.FunctionName),
    );
    const group = (label: string, list: FunctionSignature[]) =>
      list.length
        ? h(
            "optgroup",
            { label },
            list.map((f) => h("option", { value: f.FunctionName }, f.FunctionName)),
          )
        : null;
    replace(
      picker,
      group(
        "Mutating",
        functions.filter((f) => f.Mutating),
      ),
      group(
        "Validating",
        functions.filter((f) => f.Validating && !f.Mutating),
      ),
      group(
        "Reading",
        functions.filter((f) => !f.Validating && !f.Mutating),
      ),
    );
  };
  fillPicker();
  toolchain.addEventListener("change", () => {
    forms.splice(0);
    replace(formList);
    fillPicker();
  });
  executorPick.addEventListener("change", async () => {
    const chosen = executorPick.value;
    const worker = workers.find((w) => w.BridgeWorker.BridgeWorkerID === chosen)?.BridgeWorker;
    try {
      catalogue = worker
        ? await api<Record<string, Record<string, FunctionSignature>>>(
            `/space/${worker.SpaceID}/bridge_worker/${worker.BridgeWorkerID}/function`,
            { signal: context.signal },
          )
        : builtins;
    } catch (error) {
      executorPick.value = executor;
      replace(executorNote, errorBox(error));
      return;
    }
    executor = chosen;
    replace(
      executorNote,
      worker && Object.keys(catalogue).length === 0
        ? h(
            "p",
            { class: "muted" },
            `Bridge worker ${worker.Slug} has registered no functions: it never connected.`,
          )
        : null,
    );
    // Other functions: the forms, the preview and what apply would write no longer hold.
    // The same toolchain if the new catalogue has it (the Units picked are of that toolchain).
    const previous = toolchain.value;
    replace(toolchain, toolchainOptions());
    if (catalogue[previous]) toolchain.value = previous;
    forms.splice(0);
    replace(formList);
    fillPicker();
    previewed = [];
    replace(results);
    replace(counts);
    applyButton.disabled = true;
    recount();
  });
  const addFunction = () => {
    const signature = catalogue[toolchain.value]?.[picker.value];
    if (!signature) return;
    const form: FunctionForm = functionForm(signature, () => {
      forms.splice(forms.indexOf(form), 1);
      form.element.remove();
      picker.focus();
    });
    forms.push(form);
    formList.appendChild(form.element);
    form.element.querySelector<HTMLElement>("input, select")?.focus();
  };

  // Units.
  const where = expressionBox("where", "where", "Labels.tier = 'backend'");
  const whereData = expressionBox("where_data", "where_data", "spec.replicas > 1");
  const filterError = h("div", { "aria-live": "polite" });
  const onlyTicked = h("input", { type: "checkbox", id: "only-ticked" });
  onlyTicked.checked = ticked.size > 0;
  const everySpace = h("input", { type: "checkbox", id: "every-space" });
  const matched = h("p", { class: "muted", "aria-live": "polite" });
  const selection = (): Selection => ({
    where: where.value(),
    whereData: whereData.value(),
    filterId: filter.value,
  });
  const scope = () => (everySpace.checked ? undefined : spaceId);
  /** The Units to run on, or undefined after showing why the selection is wrong. */
  const selectUnits = async (signal: AbortSignal): Promise<Unit[] | undefined> => {
    try {
      let units = await listUnits(scope(), selection(), signal, "Slug,SpaceID");
      where.showError(undefined);
      whereData.showError(undefined);
      replace(filterError);
      if (onlyTicked.checked) units = units.filter((u) => ticked.has(u.UnitID));
      units = units.filter((u) => u.ToolchainType === toolchain.value);
      matched.textContent = `${units.length} ${toolchain.value} Unit${units.length === 1 ? "" : "s"} selected${everySpace.checked ? " in every Space" : ` in ${space.Slug}`}.`;
      return units;
    } catch (error) {
      if (signal.aborted) return undefined;
      matched.textContent = "";
      if (error instanceof ApiError && error.status === 400) {
        const target = errorTarget(error.message);
        where.showError(target === "where" ? error.message : undefined);
        whereData.showError(target === "where_data" ? error.message : undefined);
        replace(filterError, target === "filter" ? errorBox(error) : null);
      } else {
        replace(filterError, errorBox(error));
      }
      return undefined;
    }
  };
  let checking: AbortController | undefined;
  const recount = debounce(() => {
    checking?.abort();
    checking = new AbortController();
    void selectUnits(checking.signal);
  }, 300);
  for (const input of [where.input, whereData.input]) input.addEventListener("input", recount);
  for (const input of [filter, onlyTicked, everySpace, toolchain]) input.addEventListener("change", recount);

  // Preview and apply.
  const progress = h("progress", { max: 1, value: 0, "aria-label": "Preview progress" });
  const progressText = h("span", { class: "muted", "aria-live": "polite" });
  const counts = h("p", { class: "counts", "aria-live": "polite" });
  const results = h("div", { class: "results" });
  const previewButton = h("button", { type: "button", class: "primary", id: "preview" }, "Preview (dry run)");
  const cancelButton = h("button", { type: "button", id: "cancel", hidden: true }, "Cancel");
  const description = h("input", {
    id: "change-description",
    type: "text",
    placeholder: "Why this change (becomes the Revisions' description)",
  });
  const applyButton = h(
    "button",
    { type: "button", class: "primary write", id: "apply", disabled: true },
    "Apply",
  );
  const applyOut = h("div", { class: "apply-out", "aria-live": "polite" });
  let previewed: Previewed[] = [];
  let running: AbortController | undefined;
  context.signal.addEventListener("abort", () => running?.abort(), { once: true });

  const invocations = () => {
    if (!forms.length) return undefined;
    const calls = forms.map((form) => ({
      FunctionName: form.signature.FunctionName,
      args: form.arguments(),
    }));
    if (calls.some((c) => c.args === undefined)) return undefined;
    return calls.map((c) => ({ FunctionName: c.FunctionName, Arguments: c.args }));
  };
  const onExecutor = () => (executor ? { BridgeWorkerID: executor } : {});
  const invokePath = () => (everySpace.checked ? "/function/invoke" : `/space/${spaceId}/function/invoke`);
  const idsWhere = (units: readonly Pick<Unit, "UnitID">[]) =>
    `UnitID IN (${units.map((u) => quote(u.UnitID)).join(", ")})`;

  const preview = async () => {
    const FunctionInvocations = invocations();
    if (!FunctionInvocations) {
      replace(
        results,
        h(
          "p",
          { class: "error", role: "alert" },
          forms.length ? "Fix the arguments marked above." : "Add a function to run first.",
        ),
      );
      return;
    }
    running?.abort();
    const controller = new AbortController();
    running = controller;
    previewButton.disabled = true;
    applyButton.disabled = true;
    cancelButton.hidden = false;
    replace(results);
    replace(applyOut);
    previewed = [];
    const tally = { changed: 0, unchanged: 0, failed: 0 };
    const showCounts = () => {
      counts.textContent = `${tally.changed} changed · ${tally.unchanged} unchanged · ${tally.failed} failed`;
    };
    showCounts();
    try {
      const units = await selectUnits(controller.signal);
      if (!units) return;
      if (!units.length) {
        replace(results, h("p", { class: "muted" }, "No Unit selected."));
        return;
      }
      progress.max = units.length;
      progress.value = 0;
      progressText.textContent = `0 of ${units.length}`;
      const fetchBatch = (from: number) => {
        const batch = units.slice(from, from + BATCH);
        const batchWhere = idsWhere(batch);
        const answer = Promise.all([
          batch,
          listUnits(scope(), { where: batchWhere, whereData: "", filterId: "" }, controller.signal, "Data"),
          api<InvokeResult[]>(invokePath(), {
            method: "POST",
            signal: controller.signal,
            query: { dry_run: true, where: batchWhere },
            body: { FunctionInvocations, ToolchainType: toolchain.value, ...onExecutor() },
          }),
        ] as const);
        // Awaited in turn below; this keeps a batch still in flight when another fails (or the
        // user cancels) from being reported as an unhandled rejection.
        answer.catch(() => undefined);
        return answer;
      };
      // Two batches in flight: the server works on the next while the page renders this one.
      const inFlight = [fetchBatch(0)];
      for (let i = 0; i < units.length; i += BATCH) {
        if (i + BATCH < units.length) inFlight.push(fetchBatch(i + BATCH));
        const [batch, before, answers] = await inFlight.shift()!;
        const dataOf = new Map(before.map((u) => [u.UnitID, u.Data]));
        // The server answers in UnitID order; show them in the listing's order.
        const order = new Map(batch.map((u, index) => [u.UnitID, index]));
        answers.sort((a, b) => (order.get(a.UnitID) ?? 0) - (order.get(b.UnitID) ?? 0));
        let slice = performance.now();
        for (const answer of answers) {
          const old = fromBase64(dataOf.get(answer.UnitID));
          const next = fromBase64(answer.ConfigData);
          const outcome: Outcome = !answer.Success ? "failed" : next !== old ? "changed" : "unchanged";
          tally[outcome]++;
          previewed.push({
            unit: { UnitID: answer.UnitID, SpaceID: answer.SpaceID, Slug: answer.UnitSlug },
            outcome,
          });
          results.appendChild(
            resultRow(answer, outcome, old, next, everySpace.checked, isYaml(toolchain.value)),
          );
          // Keep each stretch of work short so typing, scrolling and Cancel stay responsive.
          if (performance.now() - slice > FRAME_BUDGET_MS) {
            showCounts();
            await nextFrame();
            slice = performance.now();
          }
        }
        progress.value = Math.min(units.length, i + batch.length);
        progressText.textContent = `${progress.value} of ${units.length}`;
        showCounts();
        await nextFrame();
      }
      applyButton.disabled = tally.changed === 0;
    } catch (error) {
      if (!controller.signal.aborted) results.appendChild(errorBox(error));
      else progressText.textContent += " (cancelled)";
    } finally {
      previewButton.disabled = false;
      cancelButton.hidden = true;
    }
  };

  const apply = async () => {
    const FunctionInvocations = invocations();
    const changed = previewed.filter((p) => p.outcome === "changed").map((p) => p.unit);
    if (!FunctionInvocations || !changed.length) return;
    if (!description.value.trim()) {
      replace(applyOut, h("p", { class: "error", role: "alert" }, "Write a change description first."));
      description.focus();
      return;
    }
    const controller = new AbortController();
    running = controller;
    applyButton.disabled = true;
    previewButton.disabled = true;
    const written = h("ul", { class: "written" });
    replace(applyOut, h("h3", {}, "Applied"), written);
    progress.max = changed.length;
    progress.value = 0;
    try {
      for (let i = 0; i < changed.length; i += BATCH) {
        const batch = changed.slice(i, i + BATCH);
        const answers = await api<InvokeResult[]>(invokePath(), {
          method: "POST",
          signal: controller.signal,
          query: { where: idsWhere(batch) },
          body: {
            FunctionInvocations,
            ToolchainType: toolchain.value,
            ChangeDescription: description.value.trim(),
            ...onExecutor(),
          },
        });
        for (const answer of answers) {
          written.appendChild(
            h(
              "li",
              { class: answer.Success ? "" : "failed" },
              answer.Success
                ? h(
                    "a",
                    { href: `#/space/${answer.SpaceID}/unit/${answer.UnitID}/revision/${answer.RevisionID}` },
                    `${answer.SpaceSlug}/${answer.UnitSlug}: new Revision`,
                  )
                : `${answer.SpaceSlug}/${answer.UnitSlug}: failed: ${answer.Error?.Message ?? "unknown error"}`,
            ),
          );
        }
        progress.value = Math.min(changed.length, i + batch.length);
        progressText.textContent = `applied ${progress.value} of ${changed.length}`;
        await nextFrame();
      }
    } catch (error) {
      applyOut.appendChild(h("p", { class: "error", role: "alert" }, errorText(error)));
    } finally {
      previewButton.disabled = false;
    }
  };
  previewButton.addEventListener("click", () => void preview());
  cancelButton.addEventListener("click", () => running?.abort());
  applyButton.addEventListener("click", () => void apply());

  replace(
    view,
    heading(`Run functions in ${space.Slug}`, h("a", { href: "#/" }, "All Spaces")),
    spaceTabs(spaceId, "run"),
    h(
      "section",
      { class: "card", "aria-labelledby": "fn-h" },
      h("h2", { id: "fn-h" }, "1. Functions"),
      h(
        "div",
        { class: "row" },
        workers.length > 0
          ? h("div", { class: "field" }, h("label", { for: "executor" }, "Run on"), executorPick)
          : null,
        h("div", { class: "field" }, h("label", { for: "toolchain" }, "Toolchain"), toolchain),
        h("div", { class: "field" }, h("label", { for: "function-pick" }, "Function"), picker),
        h("button", { type: "button", id: "add-function", onclick: addFunction }, "Add function"),
      ),
      executorNote,
      formList,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "units-h" },
      h("h2", { id: "units-h" }, "2. Units"),
      where.element,
      whereData.element,
      h("div", { class: "field" }, h("label", { for: "filter" }, "Saved Filter"), filter, filterError),
      h(
        "div",
        { class: "row" },
        h(
          "label",
          { class: "check" },
          onlyTicked,
          ` Only the ${ticked.size} Unit${ticked.size === 1 ? "" : "s"} ticked on the Units page`,
        ),
        h("label", { class: "check" }, everySpace, " Every Space of the organization"),
      ),
      matched,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "preview-h" },
      h("h2", { id: "preview-h" }, "3. Preview"),
      h("div", { class: "row progress-row" }, previewButton, cancelButton, progress, progressText),
      counts,
      results,
    ),
    context.canWrite
      ? h(
          "section",
          { class: "card", "aria-labelledby": "apply-h" },
          h("h2", { id: "apply-h" }, "4. Apply"),
          h("p", { class: "muted" }, "Runs the functions for real on the Units the preview showed changing."),
          h(
            "div",
            { class: "field" },
            h("label", { for: "change-description" }, "Change description"),
            description,
          ),
          applyButton,
          applyOut,
        )
      : h("p", { class: "muted card" }, `Your token is a ${context.me.Role}: you can preview, not apply.`),
  );
  recount();
}
