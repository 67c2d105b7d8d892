// `where_trigger`, `trigger_filter` and `triggers_passed` on the Unit lists: keep the Units by
// their result on chosen validating Triggers (ConfigHub: "matched triggers are invoked on each unit
// to filter by validation results"; default: the failing Units). The Triggers are those of the
// caller's organization matching `where_trigger` ∧ the Where of the saved Filter (From Trigger)
// named by `trigger_filter`, limited to its FromSpaceID; only validating ones give a verdict, so a
// mutating Trigger matched is not run. Each Unit's verdict: src/invoke/trigger-verdicts.ts.
import type { Kysely } from "kysely";
import { checkFilterField, compileWhere, triggerCatalogue } from "../../filter/index.ts";
import { listTriggers, withFilterBounds, type DatabaseSchema, type TriggerRow } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { uuidSchema } from "../wire/common.ts";
import { resolveListSelection } from "./list-parameters.ts";

export interface TriggerSelectionQuery {
  readonly where_trigger?: string | undefined;
  readonly trigger_filter?: string | undefined;
  readonly triggers_passed?: boolean | undefined;
}

/** More validating Triggers than this in one list is a 400: each runs on every listed Unit. */
export const MAX_LIST_TRIGGERS = 64;

export const triggerSelectionProperties = {
  where_trigger: {
    type: "string",
    description:
      "A `where` over Trigger attributes (e.g. `Labels.policy = 'security'`) choosing Triggers of the " +
      "organization; the validating ones run on each Unit's data and the list keeps the Units that fail " +
      "them (or pass them, with triggers_passed=true). Mutating Triggers matched are not run.",
  },
  trigger_filter: {
    ...uuidSchema,
    description:
      "The ID of a saved Filter (From Trigger) choosing the Triggers, AND-ed with `where_trigger`; its " +
      "FromSpaceID limits them to that Space.",
  },
  triggers_passed: {
    type: "boolean",
    description:
      "With where_trigger or trigger_filter: true keeps the Units that pass every chosen Trigger, false " +
      `(the default) those that fail one. Alone it is a 400. At most ${MAX_LIST_TRIGGERS} validating Triggers.`,
  },
} as const;

export interface TriggerSelection {
  readonly triggers: readonly TriggerRow[];
  /** Keep the Units that pass (true) or fail (false). */
  readonly passed: boolean;
}

const nonEmpty = (text: string | undefined): string | undefined =>
  text === undefined || text.trim() === "" ? undefined : text;

/** The chosen validating Triggers, or undefined when the list is not filtered by Triggers. */
export async function resolveTriggerSelection(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  query: TriggerSelectionQuery,
): Promise<TriggerSelection | undefined> {
  const where = nonEmpty(query.where_trigger);
  const filterId = nonEmpty(query.trigger_filter);
  if (where === undefined && filterId === undefined) {
    if (query.triggers_passed !== undefined) {
      throw badRequest(
        "querystring/triggers_passed: applies only with where_trigger or trigger_filter, which choose the Triggers",
      );
    }
    return undefined;
  }
  const compiled =
    where === undefined
      ? undefined
      : checkFilterField("querystring/where_trigger", () => compileWhere(where, triggerCatalogue));
  const { filter, spaceId } = await resolveListSelection(
    db,
    organizationId,
    { ...(filterId !== undefined ? { filter: filterId } : {}) },
    { catalogue: triggerCatalogue, parameter: "trigger_filter" },
  );
  const filters = [...filter.filters, ...(compiled ? [compiled.expression] : [])];
  const bounds = { usesRegex: filter.usesRegex || (compiled?.usesRegex ?? false), source: where ?? "" };
  const matched = await withFilterBounds(db, bounds, (q) =>
    listTriggers(q, organizationId, { ...(spaceId !== undefined ? { spaceId } : {}), filters }),
  );
  const triggers = matched.filter((trigger) => trigger.validating);
  if (triggers.length > MAX_LIST_TRIGGERS) {
    throw badRequest(
      `querystring/where_trigger: ${triggers.length} validating Triggers match; at most ${MAX_LIST_TRIGGERS} ` +
        "run on a list: narrow where_trigger or trigger_filter",
    );
  }
  return { triggers, passed: query.triggers_passed === true };
}
