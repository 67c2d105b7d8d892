// The one way a Unit's Data changes. Whatever the cause (create, PATCH, function invocation,
// trigger, restore...), a change writes exactly one Revision (HeadRevisionNum + 1) and one
// Mutation (HeadMutationNum + 1) recording its source, bumps Version, recomputes DataHash and
// ContentHash and resets ApprovedBy (approvals are for the data that was approved), atomically.
//
// Concurrency: the Unit row is updated first, guarded by `version` when the caller names the
// Version it read. On PostgreSQL the UPDATE takes the row lock, so a concurrent writer waits,
// then finds the Version moved and gets a VersionConflictError: no lost update. On PGlite
// transactions are serialised outright (see database.ts).
//
// writeUnitDataBatch makes the same rows for many Units in one statement per kind of write (an
// invocation saves its changed Units that way): the Revision and Mutation rows are selected from
// the updated Unit rows inside the database, so the data crosses to it once and nothing but IDs
// and counters comes back. The batch test checks that both ways make the same rows.
import { randomUUID } from "node:crypto";
import { CompiledQuery, sql, type Transaction } from "kysely";
import { NotFoundError, VersionConflictError } from "./errors.ts";
import { transactionRunsAlone } from "./transaction.ts";
import { json } from "./json.ts";
import { UNIT_COLUMNS } from "./unit-columns.ts";
import { unitDataColumns, type UnitDataColumns } from "./unit-data-columns.ts";
import type { BoolMap, DatabaseSchema, MutationRow, RevisionRow, UnitRow, UnitsTable } from "./schema.ts";
import type { Updateable } from "kysely";

/** The operation that created a Revision (Revision.Source); ConfigHub's vocabulary, open-ended. */
export type RevisionSource =
  | "CreateUnit"
  | "UpdateUnit"
  | "PatchUnit"
  | "Invoke"
  | "Trigger"
  | "RestoreRevision"
  | "UpgradeUnit"
  | "CloneUnit"
  | (string & {});

/**
 * Runs the Space's data-change (Mutation) triggers on data about to be written, inside the write's
 * transaction (src/invoke/trigger-hook.ts): mutating triggers may change the data, which then
 * goes into the same Revision, and validating triggers decide ApplyGates/ApplyWarnings. The store
 * knows nothing of functions; the API hands the hook in (WriteContext.onDataChange).
 */
export type DataChangeHook = (
  trx: Transaction<DatabaseSchema>,
  change: DataChange,
) => Promise<DataChangeOutcome>;

export interface DataChange {
  readonly organizationId: string;
  readonly unitId: string;
  /** The data about to be written; the Unit row still holds the data before the change. */
  readonly data: string;
}

export interface DataChangeOutcome {
  readonly data: string;
  readonly applyGates: BoolMap;
  readonly applyWarnings: BoolMap;
  /** The trigger invocations that ran, appended to the Mutation's list. */
  readonly functionInvocations: readonly unknown[];
  /** Their ResourceMutationList, appended to the Mutation's. */
  readonly resourceMutations: readonly unknown[];
  /** The trigger that changed the data, if one did (Mutation.TriggerID, unless the write names one). */
  readonly triggerId?: string | null;
}

export interface UnitDataWrite {
  readonly organizationId: string;
  readonly unitId: string;
  /** The Unit's ToolchainType (what its data is, for the derived `data_json`). */
  readonly toolchainType: string;
  /** The new config data (UTF-8 text). */
  readonly data: string;
  /**
   * unitDataColumns(data, toolchainType), when the caller computed them already (an engine thread
   * does, beside the engine run): used as they are unless a data-change hook changed the data.
   */
  readonly dataColumns?: UnitDataColumns;
  readonly source: RevisionSource;
  /** Becomes LastChangeDescription; the Revision's Description is the Unit's LastChangeDescription after the write. */
  readonly description?: string;
  /** The Version the caller read; any other current Version is a VersionConflictError. */
  readonly expectedVersion?: number;
  /** Who made the change (the API token's ID); null for automated changes. */
  readonly userId?: string | null;
  readonly userAgent?: string;
  /** The FunctionInvocation list that caused the change (empty for plain data updates). */
  readonly functionInvocations?: readonly unknown[];
  /** The ResourceMutationList of the change (empty until the engine computes one). */
  readonly resourceMutations?: readonly unknown[];
  /** Revision.MutationSources, when the caller tracks them. */
  readonly mutationSources?: readonly unknown[] | null;
  readonly invocationId?: string | null;
  readonly triggerId?: string | null;
  readonly linkId?: string | null;
  readonly restoredRevisionNum?: number | null;
  readonly subgroup?: string;
  /** Runs before the write, on `data` (see DataChangeHook). */
  readonly onDataChange?: DataChangeHook;
  /** Other Unit columns changed by the same operation, so it costs one Version, not two. */
  readonly alsoSet?: Omit<
    Updateable<UnitsTable>,
    | "data"
    | "data_hash"
    | "content_hash"
    | "data_json"
    | "head_revision_num"
    | "head_mutation_num"
    | "version"
  >;
}

export interface UnitDataWritten {
  readonly unit: UnitRow;
  readonly revision: RevisionRow;
  readonly mutation: MutationRow;
}

export async function writeUnitData(
  trx: Transaction<DatabaseSchema>,
  write: UnitDataWrite,
): Promise<UnitDataWritten> {
  const triggered = await runDataChangeHook(trx, write);
  let update = trx
    .updateTable("units")
    .set((eb) => ({
      ...changedUnitColumns(write, triggered),
      head_revision_num: eb("head_revision_num", "+", 1),
      head_mutation_num: eb("head_mutation_num", "+", 1),
      version: eb("version", "+", 1),
      updated_at: sql<Date>`now()`,
    }))
    .where("organization_id", "=", write.organizationId)
    .where("unit_id", "=", write.unitId);
  if (write.expectedVersion !== undefined) update = update.where("version", "=", write.expectedVersion);
  const unit = await update.returning(UNIT_COLUMNS).executeTakeFirst();
  if (!unit) {
    const current = await trx
      .selectFrom("units")
      .select("version")
      .where("organization_id", "=", write.organizationId)
      .where("unit_id", "=", write.unitId)
      .executeTakeFirst();
    throw unitWriteFailure(write, current?.version);
  }

  // The new rows are built here from what was written; only the columns the database fills in are
  // read back. Returning the whole rows would copy the Unit's data (and the mutation list) back out
  // of the database once more per write, which is most of a write's cost on PGlite.
  const revision = newRevision(unit, write);
  const revisionFilled = await trx
    .insertInto("revisions")
    .values(revision.insert)
    .returning(REVISION_FILLED)
    .executeTakeFirstOrThrow();
  const mutation = newMutation(unit, write, triggered, revision.row(revisionFilled));
  const mutationFilled = await trx
    .insertInto("mutations")
    .values(mutation.insert)
    .returning(MUTATION_FILLED)
    .executeTakeFirstOrThrow();
  return { unit, revision: revision.row(revisionFilled), mutation: mutation.row(mutationFilled) };
}

/** What a batched write made: the Unit's new Version, and its new Revision and Mutation. */
export interface UnitDataBatchWritten {
  readonly unitId: string;
  readonly version: number;
  readonly revisionId: string;
  readonly revisionNum: number;
  readonly mutationId: string;
  readonly mutationNum: number;
}

/** One write's outcome in a batch: written, or why this write alone failed. */
export type UnitDataWriteResult =
  | { readonly ok: true; readonly written: UnitDataBatchWritten }
  | { readonly ok: false; readonly error: NotFoundError | VersionConflictError };

/** PostgreSQL's limit on the bind parameters of one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * Many writes, each exactly as writeUnitData would make it, in a few statements instead of three
 * per write: the Units are locked in unit_id order (so two batches over the same Units wait for
 * each other instead of deadlocking) and their Versions read; a write whose Unit is gone or whose
 * expected Version is not the current one fails alone, with the error writeUnitData would throw;
 * the others are written by one statement per kind of write (saveUnits), still guarded by the
 * Version. On a database that runs one transaction at a time (PGlite), writes that name their
 * Version and run no hook skip the locking read: the save's guard decides (writeRound).
 * Statements are split to stay under PostgreSQL's parameter limit. The same Unit named
 * twice is written twice, in order, as two consecutive writeUnitData calls would.
 *
 * Returns one result per write, in order. Anything else that goes wrong (a constraint, a hook that
 * throws, a lost connection) rejects, and the caller's transaction rolls back.
 */
export async function writeUnitDataBatch(
  trx: Transaction<DatabaseSchema>,
  writes: readonly UnitDataWrite[],
): Promise<UnitDataWriteResult[]> {
  const results: UnitDataWriteResult[] = new Array<UnitDataWriteResult>(writes.length);
  for (const round of rounds(writes)) await writeRound(trx, writes, round, results);
  return results;
}

const unitKey = (organizationId: string, unitId: string): string => `${organizationId}/${unitId}`;

/** The writes' indexes in rounds that name each Unit at most once, in the order given. */
function rounds(writes: readonly UnitDataWrite[]): number[][] {
  const seen = new Map<string, number>();
  const result: number[][] = [];
  writes.forEach((write, index) => {
    const key = unitKey(write.organizationId, write.unitId);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (result[round] ??= []).push(index);
  });
  return result;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function writeRound(
  trx: Transaction<DatabaseSchema>,
  writes: readonly UnitDataWrite[],
  round: readonly number[],
  results: UnitDataWriteResult[],
): Promise<void> {
  const roundWrites = round.map((index) => writes[index]!);
  // On a database that runs one transaction at a time (PGlite), nothing can change a Unit between
  // a locking read and the save, and writes that name their Version and run no hook need nothing
  // read before it: the save's own Version guard decides, and only the Units it did not write are
  // read afterwards, to say why (the locking read is a sixth of a batch's database time).
  const alone = transactionRunsAlone() && roundWrites.every(guardedWithoutHook);
  const versions = alone ? expectedVersions(roundWrites) : await lockUnits(trx, roundWrites);
  const applicable: number[] = [];
  for (const index of round) {
    const write = writes[index]!;
    const version = versions.get(unitKey(write.organizationId, write.unitId));
    if (version === undefined || (write.expectedVersion !== undefined && write.expectedVersion !== version)) {
      results[index] = { ok: false, error: unitWriteFailure(write, version) };
    } else applicable.push(index);
  }
  if (applicable.length === 0) return;

  // The Versions are checked (locked, or the save checks them alone): every write applies but a
  // write the save alone found stale or gone.
  const triggered = new Map<number, DataChangeOutcome | undefined>();
  for (const index of applicable) triggered.set(index, await runDataChangeHook(trx, writes[index]!));
  const saved = await saveUnits(
    trx,
    applicable.map((index) => {
      const write = writes[index]!;
      const triggeredWrite = triggered.get(index);
      return {
        write,
        version: versions.get(unitKey(write.organizationId, write.unitId))!,
        columns: changedUnitColumns(write, triggeredWrite),
        triggered: triggeredWrite,
      };
    }),
  );
  const unsaved = applicable.filter(
    (index) => !saved.has(unitKey(writes[index]!.organizationId, writes[index]!.unitId)),
  );
  // Locked and checked above, so only a broken invariant gets here: fail the whole batch.
  if (!alone && unsaved.length > 0) {
    throw new Error(`Unit ${writes[unsaved[0]!]!.unitId}: the batched write did not apply to the locked row`);
  }
  const current =
    unsaved.length === 0
      ? versions
      : await lockUnits(
          trx,
          unsaved.map((index) => writes[index]!),
        );
  for (const index of applicable) {
    const write = writes[index]!;
    const key = unitKey(write.organizationId, write.unitId);
    const written = saved.get(key);
    results[index] = written
      ? { ok: true, written }
      : { ok: false, error: unitWriteFailure(write, current.get(key)) };
  }
}

/** A write that names the Version it read and runs no data-change hook before it is saved. */
function guardedWithoutHook(write: UnitDataWrite): boolean {
  return write.expectedVersion !== undefined && write.onDataChange === undefined;
}

/** The Versions the writes name (guardedWithoutHook writes), by Unit, as lockUnits returns them. */
function expectedVersions(writes: readonly UnitDataWrite[]): Map<string, number> {
  return new Map(
    writes.map((write) => [unitKey(write.organizationId, write.unitId), write.expectedVersion!]),
  );
}

/**
 * Locks the writes' Units (FOR UPDATE, in unit_id order, one organization at a time) and returns
 * their current Versions; a Unit that is gone, or not in the organization the write names, has none.
 */
async function lockUnits(
  trx: Transaction<DatabaseSchema>,
  writes: readonly UnitDataWrite[],
): Promise<Map<string, number>> {
  const byOrganization = new Map<string, string[]>();
  for (const write of writes) {
    let unitIds = byOrganization.get(write.organizationId);
    if (!unitIds) byOrganization.set(write.organizationId, (unitIds = []));
    unitIds.push(write.unitId);
  }
  const versions = new Map<string, number>();
  for (const [organizationId, unitIds] of byOrganization) {
    // A plain IN list: a list of (organization, unit) pairs nests one comparison per pair, which
    // overflows PGlite's stack at a few thousand.
    for (const chunk of chunks(unitIds.sort(), MAX_PARAMETERS - 1)) {
      const rows = await trx
        .selectFrom("units")
        .select(["unit_id", "version"])
        .where("organization_id", "=", organizationId)
        .where("unit_id", "in", chunk)
        .orderBy("unit_id")
        .forUpdate()
        .execute();
      for (const row of rows) versions.set(unitKey(organizationId, row.unit_id), row.version);
    }
  }
  return versions;
}

interface UnitSave {
  readonly write: UnitDataWrite;
  /** The Version read under the lock: the guard. */
  readonly version: number;
  readonly columns: Updateable<UnitsTable>;
  readonly triggered: DataChangeOutcome | undefined;
}

/**
 * The Revision's and the Mutation's columns that come from the write, not from the updated Unit,
 * each with the table whose column type it takes. The rest of both rows is the Unit's, as
 * newRevision and newMutation take them from the row writeUnitData's UPDATE returns.
 */
const RECORD_COLUMNS = [
  ["revision_id", "revisions"],
  ["mutation_id", "mutations"],
  ["source", "revisions"],
  ["user_id", "revisions"],
  ["user_agent", "revisions"],
  ["mutation_sources", "revisions"],
  ["function_invocations", "mutations"],
  ["resource_mutations", "mutations"],
  ["invocation_id", "mutations"],
  ["trigger_id", "mutations"],
  ["link_id", "mutations"],
  ["restored_revision_num", "mutations"],
  ["subgroup", "mutations"],
] as const;

type RecordColumn = (typeof RECORD_COLUMNS)[number][0];

/** The write's own values of the new Revision and Mutation (RECORD_COLUMNS). */
function recordValues(save: UnitSave): Record<RecordColumn, unknown> {
  const { write, triggered } = save;
  const causes = mutationCauses(write, triggered);
  return {
    revision_id: randomUUID(),
    mutation_id: randomUUID(),
    source: write.source,
    user_id: write.userId ?? null,
    user_agent: write.userAgent ?? "",
    mutation_sources: write.mutationSources ? json(write.mutationSources) : null,
    function_invocations: json(causes.functionInvocations),
    resource_mutations: json(causes.resourceMutations),
    invocation_id: write.invocationId ?? null,
    trigger_id: causes.triggerId,
    link_id: write.linkId ?? null,
    restored_revision_num: write.restoredRevisionNum ?? null,
    subgroup: write.subgroup ?? "",
  };
}

/**
 * One statement per set of Unit columns written (usually one): an UPDATE ... FROM (VALUES ...)
 * guarded by the Version, whose returned rows the same statement inserts as the new Revisions and
 * Mutations (data-modifying WITH queries). The first VALUES row is a typed NULL row
 * (`(null::units).column`) that matches no Unit: it gives each VALUES column the type of the column
 * it goes to, whatever that is (text, integer, jsonb), so the parameters convert as they do in a
 * single-row statement. Returns what each written Unit got, by key.
 */
async function saveUnits(
  trx: Transaction<DatabaseSchema>,
  saves: readonly UnitSave[],
): Promise<Map<string, UnitDataBatchWritten>> {
  const kinds = new Map<string, UnitSave[]>();
  for (const save of saves) {
    // A column given as undefined is left alone, as kysely's set() leaves it.
    const kind = Object.entries(save.columns)
      .filter(([, value]) => value !== undefined)
      .map(([column]) => column)
      .sort()
      .join(",");
    let list = kinds.get(kind);
    if (!list) kinds.set(kind, (list = []));
    list.push(save);
  }
  const written = new Map<string, UnitDataBatchWritten>();
  for (const [kind, list] of kinds) {
    const columns = kind.split(",");
    const rowLength = SAVE_KEY_COLUMNS.length + columns.length + RECORD_COLUMNS.length;
    for (const chunk of chunks(list, Math.floor(MAX_PARAMETERS / rowLength))) {
      const parameters: unknown[] = [];
      for (const save of chunk) {
        const values = save.columns as Record<string, unknown>;
        const own = recordValues(save);
        parameters.push(save.write.organizationId, save.write.unitId, save.version);
        for (const column of columns) parameters.push(values[column]);
        for (const [column] of RECORD_COLUMNS) parameters.push(own[column]);
      }
      const result = await trx.executeQuery<SavedRow>(
        CompiledQuery.raw(saveStatement(trx, kind, columns, chunk.length), parameters),
      );
      for (const row of result.rows) {
        written.set(unitKey(row.organization_id, row.unit_id), {
          unitId: row.unit_id,
          version: row.version,
          revisionId: row.new_revision_id,
          revisionNum: row.head_revision_num,
          mutationId: row.new_mutation_id,
          mutationNum: row.head_mutation_num,
        });
      }
    }
  }
  return written;
}

const SAVE_KEY_COLUMNS = ["organization_id", "unit_id", "version"] as const;

interface SavedRow {
  organization_id: string;
  unit_id: string;
  version: number;
  head_revision_num: number;
  head_mutation_num: number;
  new_revision_id: string;
  new_mutation_id: string;
}

/**
 * saveUnits' statement text for `rows` rows that set `columns`: its values are bind parameters,
 * row by row in VALUES order (SAVE_KEY_COLUMNS, the columns, RECORD_COLUMNS), so the text depends
 * only on the shape and is compiled once per shape (compiling ~1,300 parameters per batch was a
 * visible share of a write). Both dialects compile it alike (PostgreSQL's compiler).
 */
function saveStatement(
  trx: Transaction<DatabaseSchema>,
  kind: string,
  columns: readonly string[],
  rows: number,
): string {
  const key = `${kind}|${rows}`;
  const cached = saveStatements.get(key);
  if (cached !== undefined) return cached;
  const names = [
    ...SAVE_KEY_COLUMNS.map((c) => `read_${c}`),
    ...columns,
    ...RECORD_COLUMNS.map(([c]) => `new_${c}`),
  ];
  const typed = sql.join([
    ...[...SAVE_KEY_COLUMNS, ...columns].map((c) => sql`(null::${sql.table("units")}).${sql.ref(c)}`),
    ...RECORD_COLUMNS.map(([c, table]) => sql`(null::${sql.table(table)}).${sql.ref(c)}`),
  ]);
  const record = (c: RecordColumn) => sql.ref(`new_${c}`);
  // Placeholder values: only the text is kept, and its parameters are numbered in this order.
  const row = sql`(${sql.join(names.map(() => null))})`;
  const statement = sql`
        with v(${sql.join(names.map((n) => sql.ref(n)))}) as (values (${typed}), ${sql.join(Array.from({ length: rows }, () => row))}),
        updated as (
          update ${sql.table("units")} as u
          set ${sql.join(columns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`))},
            head_revision_num = u.head_revision_num + 1,
            head_mutation_num = u.head_mutation_num + 1,
            version = u.version + 1,
            updated_at = now()
          from v
          where u.organization_id = v.read_organization_id
            and u.unit_id = v.read_unit_id
            and u.version = v.read_version
          returning u.organization_id, u.space_id, u.unit_id, u.version, u.head_revision_num,
            u.head_mutation_num, u.data, u.data_hash, u.content_hash, u.last_change_description,
            u.apply_gates, u.apply_warnings, u.change_set_id,
            ${sql.join(RECORD_COLUMNS.map(([c]) => sql`v.${record(c)}`))}
        ),
        revisions as (
          insert into ${sql.table("revisions")} (revision_id, organization_id, space_id, unit_id,
            revision_num, data, data_hash, content_hash, description, source, user_id, user_agent,
            change_set_id, apply_gates, apply_warnings, mutation_sources)
          select new_revision_id, organization_id, space_id, unit_id, head_revision_num, data,
            data_hash, content_hash, last_change_description, new_source, new_user_id,
            new_user_agent, change_set_id, apply_gates, apply_warnings, new_mutation_sources
          from updated
        ),
        mutations as (
          insert into ${sql.table("mutations")} (mutation_id, organization_id, space_id, unit_id,
            mutation_num, revision_id, revision_num, source, description, invocation_id, trigger_id,
            link_id, restored_revision_num, subgroup, user_id, function_invocations,
            resource_mutations)
          select new_mutation_id, organization_id, space_id, unit_id, head_mutation_num,
            new_revision_id, head_revision_num, new_source, last_change_description,
            new_invocation_id, new_trigger_id, new_link_id, new_restored_revision_num,
            new_subgroup, new_user_id, new_function_invocations, new_resource_mutations
          from updated
        )
        select organization_id, unit_id, version, head_revision_num, head_mutation_num,
          new_revision_id, new_mutation_id
        from updated`.compile(trx).sql;
  // Shapes are few (the sets of columns a write changes, times batch sizes); the bound is a guard.
  if (saveStatements.size >= MAX_SAVE_STATEMENTS) saveStatements.clear();
  saveStatements.set(key, statement);
  return statement;
}

const MAX_SAVE_STATEMENTS = 256;
const saveStatements = new Map<string, string>();

/** The write's data after the Space's data-change triggers, when it names a hook. */
function runDataChangeHook(
  trx: Transaction<DatabaseSchema>,
  write: UnitDataWrite,
): Promise<DataChangeOutcome | undefined> | undefined {
  return write.onDataChange?.(trx, {
    organizationId: write.organizationId,
    unitId: write.unitId,
    data: write.data,
  });
}

/** The Unit columns a write sets to new values; the counters, Version and updated_at move beside them. */
function changedUnitColumns(
  write: UnitDataWrite,
  triggered: DataChangeOutcome | undefined,
): Updateable<UnitsTable> {
  return {
    ...write.alsoSet,
    ...(triggered
      ? { apply_gates: json(triggered.applyGates), apply_warnings: json(triggered.applyWarnings) }
      : {}),
    ...dataColumns(write, triggered?.data ?? write.data),
    ...(write.description !== undefined ? { last_change_description: write.description } : {}),
    approved_by: json([]),
  };
}

/** The derived columns of the data to be written: the caller's, if they are of that data. */
function dataColumns(write: UnitDataWrite, data: string): UnitDataColumns {
  return write.dataColumns?.data === data ? write.dataColumns : unitDataColumns(data, write.toolchainType);
}

/** Why a write found no Unit to update: gone (or another organization's), or at another Version. */
function unitWriteFailure(
  write: UnitDataWrite,
  currentVersion: number | undefined,
): NotFoundError | VersionConflictError {
  if (currentVersion === undefined) return new NotFoundError("Unit", write.unitId);
  return new VersionConflictError(
    "Unit",
    write.unitId,
    write.expectedVersion ?? currentVersion,
    currentVersion,
  );
}

/** The columns of a new Revision and of a new Mutation that the database fills in. */
const REVISION_FILLED = ["revision_id", "approved_by", "live_at", "created_at", "updated_at"] as const;
const MUTATION_FILLED = ["mutation_id", "created_at"] as const;
type RevisionFilled = Pick<RevisionRow, (typeof REVISION_FILLED)[number]>;
type MutationFilled = Pick<MutationRow, (typeof MUTATION_FILLED)[number]>;

/** The Revision a write of `unit` (as updated) adds: the row to insert, and the row once inserted. */
function newRevision(unit: UnitRow, write: UnitDataWrite) {
  const values = {
    revision_id: randomUUID(),
    organization_id: unit.organization_id,
    space_id: unit.space_id,
    unit_id: unit.unit_id,
    revision_num: unit.head_revision_num,
    data: unit.data,
    data_hash: unit.data_hash,
    content_hash: unit.content_hash,
    description: unit.last_change_description,
    source: write.source,
    user_id: write.userId ?? null,
    user_agent: write.userAgent ?? "",
    change_set_id: unit.change_set_id,
  };
  return {
    insert: {
      ...values,
      // The gates as of this Revision.
      apply_gates: json(unit.apply_gates),
      apply_warnings: json(unit.apply_warnings),
      mutation_sources: write.mutationSources ? json(write.mutationSources) : null,
    },
    row: (filled: RevisionFilled): RevisionRow => ({
      ...values,
      ...filled,
      apply_gates: unit.apply_gates,
      apply_warnings: unit.apply_warnings,
      mutation_sources: write.mutationSources ? [...write.mutationSources] : null,
    }),
  };
}

/** What caused a write, for its Mutation: the write's invocations and mutations, then its triggers'. */
function mutationCauses(write: UnitDataWrite, triggered: DataChangeOutcome | undefined) {
  return {
    functionInvocations: [...(write.functionInvocations ?? []), ...(triggered?.functionInvocations ?? [])],
    resourceMutations: [...(write.resourceMutations ?? []), ...(triggered?.resourceMutations ?? [])],
    triggerId: write.triggerId ?? triggered?.triggerId ?? null,
  };
}

/** The Mutation that records a write of `unit` (as updated) and its Revision. */
function newMutation(
  unit: UnitRow,
  write: UnitDataWrite,
  triggered: DataChangeOutcome | undefined,
  revision: Pick<RevisionRow, "revision_id" | "revision_num">,
) {
  const { functionInvocations, resourceMutations, triggerId } = mutationCauses(write, triggered);
  const values = {
    mutation_id: randomUUID(),
    organization_id: unit.organization_id,
    space_id: unit.space_id,
    unit_id: unit.unit_id,
    mutation_num: unit.head_mutation_num,
    revision_id: revision.revision_id,
    revision_num: revision.revision_num,
    source: write.source,
    description: unit.last_change_description,
    invocation_id: write.invocationId ?? null,
    trigger_id: triggerId,
    link_id: write.linkId ?? null,
    restored_revision_num: write.restoredRevisionNum ?? null,
    subgroup: write.subgroup ?? "",
    user_id: write.userId ?? null,
  };
  const functionInvocationsJson = json(functionInvocations);
  const resourceMutationsJson = json(resourceMutations);
  return {
    insert: {
      ...values,
      function_invocations: functionInvocationsJson,
      resource_mutations: resourceMutationsJson,
    },
    row: (filled: MutationFilled): MutationRow => ({
      ...values,
      ...filled,
      // As the database holds them: jsonb keeps no undefined members.
      function_invocations: JSON.parse(functionInvocationsJson) as unknown[],
      resource_mutations: JSON.parse(resourceMutationsJson) as unknown[],
    }),
  };
}
