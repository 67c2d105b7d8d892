// What only Units (and their Revisions) have: config data. `unit create -f FILE|-` sends it,
// `unit get --data` prints it raw, `unit diff` compares two Revisions (unified, default the one
// before the head against the head), `unit restore` takes an earlier Revision's data back through
// the API's `restore` (a new Revision), and `revision list|get` read a Unit's history by number.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CliUsageError } from "../cli-error.ts";
import type { CommandIo, CommandResult } from "../command-run.ts";
import { fitTable, terminalWidth } from "../output/fit-table.ts";
import { colourEnabled, painter } from "../output/terminal-style.ts";
import { unifiedDiff } from "../output/unified-diff.ts";
import { str, UNIT, when, type TableColumn, type WireEntity } from "../remote/entity-kinds.ts";
import { RemoteError, withHint } from "../remote/remote-error.ts";
import { DEFAULT_TOOLCHAIN } from "../../engine/index.ts";
import { TOOLCHAIN_EXTENSIONS, toolchainOfFile } from "../local/input-files.ts";
import {
  createEntity,
  describe,
  itemPath,
  nameOf,
  resolveEntity,
  targetOf,
  unwrap,
  updateEntity,
  type EntityFlags,
  type Target,
  type WriteFlags,
} from "./entity-actions.ts";

export interface UnitWriteFlags extends WriteFlags {
  file?: string;
  changeDescription?: string;
}

export interface UnitGetFlags extends EntityFlags {
  data?: boolean;
}

/** Reads FILE, or stdin for `-`, as the Unit's config data (UTF-8 text, as the API stores it). */
async function readData(file: string, io: CommandIo): Promise<string> {
  try {
    if (file === "-") {
      const stdin = io.stdin ?? process.stdin;
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new CliUsageError(`-f ${file}: cannot read the config data: ${(error as Error).message}`);
  }
}

async function dataFields(flags: UnitWriteFlags, io: CommandIo): Promise<WireEntity> {
  const fields: WireEntity = {};
  if (flags.file !== undefined)
    fields.Data = Buffer.from(await readData(flags.file, io), "utf8").toString("base64");
  if (flags.changeDescription !== undefined) fields.LastChangeDescription = flags.changeDescription;
  return fields;
}

/**
 * A Unit without --toolchain (or a ToolchainType in --set) takes its file's: `main.tf` is
 * OpenTofu/HCL, `app.properties` AppConfig/Properties, and so on; anything else Kubernetes/YAML,
 * and should that data not parse as YAML the error says how to name another toolchain.
 */
export async function createUnit(slug: string, flags: UnitWriteFlags, io: CommandIo): Promise<CommandResult> {
  const extra = await dataFields(flags, io);
  const fromFile = flags.file === undefined || flags.file === "-" ? undefined : toolchainOfFile(flags.file);
  const toolchain = fromFile ?? DEFAULT_TOOLCHAIN;
  const say = (_created: WireEntity, defaulted: ReadonlySet<string>) =>
    fromFile !== undefined && fromFile !== DEFAULT_TOOLCHAIN && defaulted.has("ToolchainType")
      ? `, toolchain ${fromFile} (from the file's extension; --toolchain names another)`
      : "";
  try {
    return await createEntity(UNIT, slug, flags, io, extra, { ToolchainType: toolchain }, say);
  } catch (error) {
    if (
      flags.toolchain !== undefined ||
      fromFile !== undefined ||
      !(error instanceof RemoteError) ||
      error.code !== "UNPROCESSABLE" ||
      !error.message.includes("is not valid YAML")
    )
      throw error;
    const others = Object.keys(TOOLCHAIN_EXTENSIONS).filter((t) => t !== DEFAULT_TOOLCHAIN);
    throw withHint(
      error,
      `\n(a Unit's data is Kubernetes/YAML unless --toolchain names another: ${others.join(", ")})`,
    );
  }
}

export async function updateUnit(ref: string, flags: UnitWriteFlags, io: CommandIo): Promise<CommandResult> {
  return updateEntity(UNIT, ref, flags, io, await dataFields(flags, io));
}

async function readUnit(
  target: Target,
  ref: string,
): Promise<{ unit: WireEntity; name: string; path: string }> {
  const { id, label } = await resolveEntity(UNIT, target, ref);
  const name = nameOf(UNIT, target.space, label);
  const path = itemPath(UNIT, target.space, id);
  return { unit: unwrap(UNIT, await target.client.get<WireEntity>(path, name)), name, path };
}

export async function getUnit(ref: string, flags: UnitGetFlags, io: CommandIo): Promise<CommandResult> {
  const target = await targetOf(UNIT, flags, io, true);
  if (flags.data && flags.json) throw new CliUsageError("--data and --json exclude each other");
  const { id, label } = await resolveEntity(UNIT, target, ref);
  const name = nameOf(UNIT, target.space, label);
  const body = await target.client.get<WireEntity>(itemPath(UNIT, target.space, id), name);
  if (flags.json) return { text: `${JSON.stringify(body, null, 2)}\n`, exitCode: 0 };
  const unit = unwrap(UNIT, body);
  if (flags.data) return { text: decode(unit.Data), exitCode: 0 };
  return { text: describe(unit), exitCode: 0 };
}

function decode(data: unknown): string {
  return typeof data === "string" ? Buffer.from(data, "base64").toString("utf8") : "";
}

/** A positive revision number, or a usage error naming the argument. */
function revisionNumber(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new CliUsageError(`${what} ${text}: expected a revision number (1, 2, ...)`);
  }
  return n;
}

/** The Revision of number `num` (with its Data), or a usage error saying which numbers exist. */
async function revisionData(
  target: Target,
  unitPath: string,
  name: string,
  head: number,
  num: number,
): Promise<WireEntity> {
  if (num > head) {
    throw new CliUsageError(`${name} has no revision ${num}: its revisions are 1 to ${head}`);
  }
  const list = await target.client.get<{ Revision: WireEntity }[] | null>(
    `${unitPath}/revision`,
    `revision ${num} of ${name}`,
    { where: `RevisionNum = ${num}` },
  );
  const revision = (list ?? [])[0]?.Revision;
  if (!revision) {
    throw new RemoteError(
      "BAD_RESPONSE",
      `${name}: the server lists no revision ${num} though its head is ${head}`,
    );
  }
  return revision;
}

export async function diffUnit(
  ref: string,
  from: string | undefined,
  to: string | undefined,
  flags: EntityFlags,
  io: CommandIo,
): Promise<CommandResult> {
  const target = await targetOf(UNIT, flags, io, true);
  const { unit, name, path } = await readUnit(target, ref);
  const head = Number(unit.HeadRevisionNum);
  const toNum = to === undefined ? head : revisionNumber(to, "TO");
  const fromNum = from === undefined ? toNum - 1 : revisionNumber(from, "FROM");
  const after = await revisionData(target, path, name, head, toNum);
  // Revision 1 has nothing before it: its diff is the whole data, added.
  const before = fromNum === 0 ? undefined : await revisionData(target, path, name, head, fromNum);
  const beforeData = before ? decode(before.Data) : "";
  // Like diff(1): the same data on both sides prints nothing.
  if (beforeData === decode(after.Data)) return { text: "", exitCode: 0 };
  const label = name.replace(/^unit /, "");
  const paint = painter(colourEnabled(io.stdout, io.env));
  const text = unifiedDiff(
    {
      name: label,
      before: beforeData,
      after: decode(after.Data),
      beforeLabel: before ? `revision ${fromNum}` : "(no revision before 1)",
      afterLabel: `revision ${toNum}`,
    },
    paint,
  );
  return { text, exitCode: 0 };
}

export async function restoreUnit(
  ref: string,
  revision: string,
  flags: UnitWriteFlags,
  io: CommandIo,
): Promise<CommandResult> {
  const num = revisionNumber(revision, "REVISION");
  const extra: WireEntity = {};
  if (flags.changeDescription !== undefined) extra.LastChangeDescription = flags.changeDescription;
  return updateEntity(
    UNIT,
    ref,
    flags,
    io,
    extra,
    { restore: String(num) },
    `restored revision ${num}'s data to`,
    `restore revision ${num} of`,
  );
}

const revisionColumns: readonly TableColumn[] = [
  { header: "NUM", cell: (r) => str(r.RevisionNum) },
  { header: "SOURCE", cell: (r) => str(r.Source) },
  { header: "DESCRIPTION", cell: (r) => str(r.Description), flexible: true },
  { header: "CREATED", cell: (r) => when(r.CreatedAt) },
  { header: "ID", cell: (r) => str(r.RevisionID) },
];

export async function listRevisions(ref: string, flags: EntityFlags, io: CommandIo): Promise<CommandResult> {
  const target = await targetOf(UNIT, flags, io, true);
  const { name, path } = await readUnit(target, ref);
  const list =
    (await target.client.get<{ Revision: WireEntity }[] | null>(`${path}/revision`, `revisions of ${name}`, {
      ...(flags.json ? {} : { select: "RevisionNum,Source,Description,CreatedAt" }),
    })) ?? [];
  if (flags.json) return { text: `${JSON.stringify(list, null, 2)}\n`, exitCode: 0 };
  const rows = list.map(({ Revision }) => revisionColumns.map((column) => column.cell(Revision, Revision)));
  return { text: fitTable(revisionColumns, rows, terminalWidth(io.stdout)), exitCode: 0 };
}

export async function getRevision(
  ref: string,
  revision: string,
  flags: UnitGetFlags,
  io: CommandIo,
): Promise<CommandResult> {
  const num = revisionNumber(revision, "REVISION");
  if (flags.data && flags.json) throw new CliUsageError("--data and --json exclude each other");
  const target = await targetOf(UNIT, flags, io, true);
  const { unit, name, path } = await readUnit(target, ref);
  const found = await revisionData(target, path, name, Number(unit.HeadRevisionNum), num);
  if (flags.json) return { text: `${JSON.stringify(found, null, 2)}\n`, exitCode: 0 };
  if (flags.data) return { text: decode(found.Data), exitCode: 0 };
  return { text: describe(found), exitCode: 0 };
}
