// What `confn space|unit|filter|invocation|trigger|change-set list|get|create|update|delete` do
// against a server. Entities are named by slug or ID (remote/slug-resolution.ts); a Space-resident
// entity needs `--space` except for an organization-wide list. Output is a table that fits the
// terminal (output/fit-table.ts), or with --json the API's own answer. Updates are JSON merge
// patches carrying the Version just read, so a concurrent change is a conflict, never overwritten.
// Deletes ask nothing (scripts run them) but say what they deleted.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CliUsageError } from "../cli-error.ts";
import type { CommandIo, CommandResult } from "../command-run.ts";
import { fitTable, terminalWidth } from "../output/fit-table.ts";
import { pairs, str, type EntityKind, type WireEntity } from "../remote/entity-kinds.ts";
import { ConfnClient } from "../remote/http-client.ts";
import { RemoteError } from "../remote/remote-error.ts";
import { NIL_UUID } from "../../engine/index.ts";
import { savedCallWorkerId, withWorkerOfferHint } from "../remote/bridge-workers.ts";
import { resolveConnection, type ConnectionFlags } from "../remote/server-connection.ts";
import { resolveSlug, type Resolved } from "../remote/slug-resolution.ts";
import { selectSpace, type SelectedSpace } from "../remote/space-selection.ts";
import { gateKeys } from "../remote/unit-gates.ts";

export interface EntityFlags extends ConnectionFlags {
  space?: string;
  json?: boolean;
}

export interface ListFlags extends EntityFlags {
  where?: string;
  contains?: string;
}

export interface WriteFlags extends EntityFlags {
  displayName?: string;
  label?: string[];
  annotation?: string[];
  /** A JSON object merged into the body (any field the API takes). */
  set?: string;
  /** Kind-specific field flags (commander's camelCase names). */
  [flag: string]: unknown;
}

export interface DeleteFlags extends EntityFlags {
  recursive?: boolean;
}

/** The client and the Space an entity command works in. */
export interface Target {
  readonly client: ConfnClient;
  readonly space: SelectedSpace | undefined;
}

export function clientFor(flags: ConnectionFlags, io: CommandIo): ConfnClient {
  return new ConfnClient(resolveConnection(flags, io), io.fetch);
}

/** The client and, for a Space-resident kind, the Space (`required`: every command but list). */
export async function targetOf(
  kind: EntityKind,
  flags: EntityFlags,
  io: CommandIo,
  required: boolean,
): Promise<Target> {
  if (!kind.inSpace && flags.space !== undefined) {
    throw new CliUsageError(`--space: a ${kind.title} does not live in a Space; drop --space`);
  }
  if (kind.inSpace && required && flags.space === undefined) {
    throw new CliUsageError(`name the ${kind.title}'s Space with --space SPACE (slug or ID)`);
  }
  const client = clientFor(flags, io);
  const space =
    kind.inSpace && flags.space !== undefined ? await selectSpace(client, flags.space) : undefined;
  return { client, space };
}

/** The route of the kind's list: `/space`, `/space/<id>/unit`, or organization-wide `/unit`. */
export function listPath(kind: EntityKind, space: SelectedSpace | undefined): string {
  if (!kind.inSpace) return `/${kind.path}`;
  return space ? `/space/${space.spaceId}/${kind.path}` : `/${kind.path}`;
}

export function itemPath(kind: EntityKind, space: SelectedSpace | undefined, id: string): string {
  return `${listPath(kind, space)}/${id}`;
}

/** `space prod`, `unit prod/web`: how messages name an entity. */
export function nameOf(kind: EntityKind, space: SelectedSpace | undefined, label: string): string {
  return `${kind.name} ${space ? `${space.label}/` : ""}${label}`;
}

export async function resolveEntity(kind: EntityKind, target: Target, ref: string): Promise<Resolved> {
  return resolveSlug(
    target.client,
    {
      listPath: listPath(kind, target.space),
      title: kind.title,
      idField: kind.idField,
      scope: target.space ? `in space ${target.space.label}` : "in your organization",
    },
    ref,
  );
}

/** The entity inside a GET's answer (`ExtendedUnit` holds `Unit`; Spaces and Units are wrapped). */
export function unwrap(kind: EntityKind, body: WireEntity): WireEntity {
  const inner = body[kind.title];
  return inner !== null && typeof inner === "object" ? (inner as WireEntity) : body;
}

export async function listEntities(
  kind: EntityKind,
  flags: ListFlags,
  io: CommandIo,
): Promise<CommandResult> {
  const target = await targetOf(kind, flags, io, false);
  const orgWide = kind.inSpace && !target.space;
  const include = [orgWide ? "SpaceID" : undefined, kind.listInclude].filter((i) => i !== undefined);
  const list = await target.client.get<WireEntity[] | null>(listPath(kind, target.space), `${kind.name}s`, {
    where: flags.where,
    contains: flags.contains,
    ...(flags.json ? {} : { select: kind.listSelect }),
    ...(include.length > 0 && !flags.json ? { include: include.join(",") } : {}),
  });
  if (flags.json) return { text: `${JSON.stringify(list ?? [], null, 2)}\n`, exitCode: 0 };
  const columns = orgWide ? [spaceColumn, ...kind.columns] : kind.columns;
  const rows = (list ?? []).map((extended) => {
    const entity = unwrap(kind, extended);
    return columns.map((column) => column.cell(entity, extended));
  });
  return { text: fitTable(columns, rows, terminalWidth(io.stdout)), exitCode: 0 };
}

/** The SPACE column of an organization-wide list: the slug `include=SpaceID` adds, else the ID. */
const spaceColumn = {
  header: "SPACE",
  cell: (entity: WireEntity, extended: WireEntity) =>
    str((extended.Space as WireEntity | undefined)?.Slug ?? entity.SpaceID),
};

export async function getEntity(
  kind: EntityKind,
  ref: string,
  flags: EntityFlags,
  io: CommandIo,
): Promise<CommandResult> {
  const target = await targetOf(kind, flags, io, true);
  const { id, label } = await resolveEntity(kind, target, ref);
  const body = await target.client.get<WireEntity>(
    itemPath(kind, target.space, id),
    nameOf(kind, target.space, label),
  );
  if (flags.json) return { text: `${JSON.stringify(body, null, 2)}\n`, exitCode: 0 };
  return { text: describe(unwrap(kind, body)), exitCode: 0 };
}

/** One `Field  value` line per field (maps as k=v, lists as JSON); Data is left to `--data`. */
export function describe(entity: WireEntity): string {
  const rows = Object.entries(entity)
    .filter(([field]) => field !== "Data")
    .map(([field, value]) => [
      field,
      value !== null && typeof value === "object" && !Array.isArray(value) ? pairs(value) : str(value),
    ]);
  const width = Math.max(...rows.map(([field]) => field!.length));
  return rows.map(([field, value]) => `${field!.padEnd(width + 2)}${value}`.trimEnd() + "\n").join("");
}

/**
 * Creates the entity from the flags, `extra` fields (they win) and `defaults` (for fields neither
 * gives, --set included). `say` adds to the "created" line what the caller chose for the user,
 * knowing which of the defaults were taken.
 */
export async function createEntity(
  kind: EntityKind,
  slug: string,
  flags: WriteFlags,
  io: CommandIo,
  extra: WireEntity = {},
  defaults: WireEntity = {},
  say: (created: WireEntity, defaulted: ReadonlySet<string>) => string = () => "",
): Promise<CommandResult> {
  const { body: fields, workers } = await bodyOf(kind, flags, io.cwd);
  const body = { ...defaults, ...fields, ...extra, Slug: slug };
  const defaulted = new Set(Object.keys(defaults).filter((key) => !(key in fields || key in extra)));
  const target = await targetOf(kind, flags, io, true);
  await resolveWorkers(target, body, workers);
  const name = nameOf(kind, target.space, slug);
  const { body: created } = await target.client
    .post<WireEntity>(listPath(kind, target.space), `create ${name}`, {}, body)
    .catch(async (error: unknown) => {
      throw await savedCallHint(error, kind, target, workers, body);
    });
  if (flags.json) return { text: `${JSON.stringify(created, null, 2)}\n`, exitCode: 0 };
  sayGates(io, name, created);
  const head = created.HeadRevisionNum === undefined ? "" : `, revision ${str(created.HeadRevisionNum)}`;
  return {
    text: `created ${name} (${str(created[kind.idField])}${head})${say(created, defaulted)}\n`,
    exitCode: 0,
  };
}

/**
 * A Unit a data write left gated: the write succeeded, but a validating Trigger failed on it, or runs
 * on a bridge worker (which a data write never calls: it fails closed until a function invocation
 * that changes the Unit runs it). Said on stderr, so the stdout line stays what scripts read.
 */
function sayGates(io: CommandIo, name: string, unit: WireEntity): void {
  const keys = gateKeys(unit);
  if (keys.length === 0) return;
  io.stderr.write(
    `warning: ${name} is gated: ${keys.join(", ")} (ApplyGates: a validating Trigger failed on this ` +
      "write, or runs on a bridge worker, which only a function invocation that changes the Unit calls)\n",
  );
}

export async function updateEntity(
  kind: EntityKind,
  ref: string,
  flags: WriteFlags,
  io: CommandIo,
  extra: WireEntity = {},
  query: Record<string, string | undefined> = {},
  verb = "updated",
  action = "update",
): Promise<CommandResult> {
  const { body: fields, workers } = await bodyOf(kind, flags, io.cwd);
  const patch = { ...fields, ...extra };
  if (Object.keys(patch).length === 0 && workers.length === 0 && Object.keys(query).length === 0) {
    throw new CliUsageError(
      `nothing to update: pass --display-name, --label, --annotation, --set or a field flag`,
    );
  }
  const target = await targetOf(kind, flags, io, true);
  await resolveWorkers(target, patch, workers);
  const { id, label } = await resolveEntity(kind, target, ref);
  const name = nameOf(kind, target.space, label);
  const path = itemPath(kind, target.space, id);
  const current = unwrap(kind, await target.client.get<WireEntity>(path, name));
  const updated = await target.client
    .patch<WireEntity>(path, `${action} ${name}`, query, { ...patch, Version: current.Version })
    .catch(async (error: unknown) => {
      throw await savedCallHint(error, kind, target, workers, { ...current, ...patch });
    });
  if (flags.json) return { text: `${JSON.stringify(updated, null, 2)}\n`, exitCode: 0 };
  const wroteData =
    updated.HeadRevisionNum !== undefined && updated.HeadRevisionNum !== current.HeadRevisionNum;
  if (wroteData) sayGates(io, name, updated);
  const revision = wroteData ? `, revision ${str(updated.HeadRevisionNum)}` : "";
  return { text: `${verb} ${name} (version ${str(updated.Version)}${revision})\n`, exitCode: 0 };
}

export async function deleteEntity(
  kind: EntityKind,
  ref: string,
  flags: DeleteFlags,
  io: CommandIo,
): Promise<CommandResult> {
  const target = await targetOf(kind, flags, io, true);
  const { id, label } = await resolveEntity(kind, target, ref);
  const name = nameOf(kind, target.space, label);
  let answer: WireEntity;
  try {
    answer = await target.client.delete<WireEntity>(itemPath(kind, target.space, id), `delete ${name}`, {
      recursive: flags.recursive ? "true" : undefined,
    });
  } catch (error) {
    // The server speaks of its query parameter; say which flag does it here.
    if (
      error instanceof RemoteError &&
      error.code === "CONFLICT" &&
      kind.name === "space" &&
      !flags.recursive
    ) {
      throw new RemoteError(
        "CONFLICT",
        `${error.message}\n(to delete the Space with everything in it: confn space delete ${ref} --recursive)`,
        error.status,
      );
    }
    throw error;
  }
  if (flags.json) return { text: `${JSON.stringify(answer, null, 2)}\n`, exitCode: 0 };
  return { text: `deleted ${name} (${id})\n`, exitCode: 0 };
}

/** A field a `--worker REF` flag sets, once REF is looked up on the server (resolveWorkers). */
interface WorkerField {
  readonly field: string;
  readonly flag: string;
  readonly ref: string;
}

/**
 * The body fields the flags set: common ones, the kind's own, then --set's JSON object; and the
 * worker fields still to look up (the server takes IDs, people type slugs).
 */
async function bodyOf(
  kind: EntityKind,
  flags: WriteFlags,
  cwd: string,
): Promise<{ body: WireEntity; workers: WorkerField[] }> {
  const body: WireEntity = {};
  const workers: WorkerField[] = [];
  if (flags.displayName !== undefined) body.DisplayName = flags.displayName;
  if (flags.label?.length) body.Labels = keyValues("--label", flags.label);
  if (flags.annotation?.length) body.Annotations = keyValues("--annotation", flags.annotation);
  for (const field of kind.createFlags) {
    const value = flags[optionKey(field.flag)];
    if (value === undefined) continue;
    if (field.kind === "worker") {
      workers.push({ field: field.field, flag: field.flag.split(" ")[0]!, ref: String(value) });
      continue;
    }
    body[field.field] =
      field.kind === "arguments"
        ? (value as string[]).map((v) => ({ Value: v }))
        : field.kind === "boolean"
          ? true
          : value;
  }
  if (flags.set !== undefined) Object.assign(body, await jsonObject(flags.set, cwd));
  for (const { field, flag } of workers) {
    if (field in body) throw new CliUsageError(`${flag} and --set both give ${field}: pass one of them`);
  }
  return { body, workers };
}

/**
 * A saved call's function the built-ins lack, saved without a worker: the server's 400 with the
 * workers that offer the function (workerOfferHint). `call` holds the entity's fields after the write.
 */
async function savedCallHint(
  error: unknown,
  kind: EntityKind,
  target: Target,
  workers: readonly WorkerField[],
  call: WireEntity,
): Promise<unknown> {
  const takesWorker = kind.createFlags.some((field) => field.kind === "worker");
  const worker = call.BridgeWorkerID;
  const builtin = worker === undefined || worker === null || worker === NIL_UUID;
  if (!takesWorker || !builtin || typeof call.FunctionName !== "string") return error;
  if (workers.some((w) => w.ref !== "")) return error;
  return withWorkerOfferHint(error, target.client, str(call.ToolchainType), [call.FunctionName]);
}

/** Puts the ID of each `--worker` into the body (looked up in the entity's Space, then the organization). */
async function resolveWorkers(
  target: Target,
  body: WireEntity,
  workers: readonly WorkerField[],
): Promise<void> {
  for (const { field, ref } of workers) {
    body[field] = await savedCallWorkerId(target.client, target.space, ref);
  }
}

/** `--where-data <expr>` -> `whereData`, the key commander stores it under. */
export function optionKey(flag: string): string {
  const long = flag.split(" ")[0]!.replace(/^--/, "");
  return long.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** `k=v` pairs; `k-` removes the key (null in the merge patch), as kubectl label does. */
function keyValues(flag: string, items: readonly string[]): Record<string, string | null> {
  const map: Record<string, string | null> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq > 0) map[item.slice(0, eq)] = item.slice(eq + 1);
    else if (item.endsWith("-") && item.length > 1) map[item.slice(0, -1)] = null;
    else throw new CliUsageError(`${flag} ${item}: expected KEY=VALUE (or KEY- to remove it)`);
  }
  return map;
}

/** `--set '{"Where": "..."}'` or `--set @body.json`. */
async function jsonObject(text: string, cwd: string): Promise<WireEntity> {
  let source = text;
  if (text.startsWith("@")) {
    try {
      source = await readFile(resolve(cwd, text.slice(1)), "utf8");
    } catch (error) {
      throw new CliUsageError(`--set ${text}: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new CliUsageError(`--set ${text}: not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliUsageError(`--set ${text}: expected a JSON object of fields, e.g. '{"DisplayName": "Web"}'`);
  }
  return parsed as WireEntity;
}
