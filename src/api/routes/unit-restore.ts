// ConfigHub's `restore` query parameter of UpdateUnit/PatchUnit: which earlier Revision's data the
// Unit takes back, as a new Revision (Source RestoreRevision, Mutation.RestoredRevisionNum):
//   HeadRevisionNum | LiveRevisionNum | LastAppliedRevisionNum | PreviousLiveRevisionNum   the Unit's counter
//   42                                                                                    that number
//   Revision:<uuid>                                                                       that Revision of the Unit
//   ChangeSet:<uuid>                                                                      the Unit's latest Revision in that ChangeSet
//   Tag:<uuid>                                                                            (refused: confn has no Tags)
// each optionally prefixed `Before:` (the Revision immediately before the one named).
import type { Kysely } from "kysely";
import {
  getLatestChangeSetRevision,
  getRevision,
  getRevisionByNum,
  type DatabaseSchema,
  type RevisionRow,
  type UnitKey,
  type UnitRecord,
} from "../../store/index.ts";
import { badRequest } from "../errors.ts";

const NAMED = {
  HeadRevisionNum: "head_revision_num",
  LiveRevisionNum: "live_revision_num",
  LastAppliedRevisionNum: "last_applied_revision_num",
  PreviousLiveRevisionNum: "previous_live_revision_num",
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SPEC = 100;

export type RestoreTarget =
  | { readonly kind: "named"; readonly name: keyof typeof NAMED }
  | { readonly kind: "number"; readonly num: number }
  | { readonly kind: "Revision" | "ChangeSet"; readonly id: string };

export interface RestoreSpec {
  readonly text: string;
  readonly before: boolean;
  readonly target: RestoreTarget;
}

export const restoreQuerySchema = {
  type: "object",
  properties: {
    restore: {
      type: "string",
      maxLength: MAX_SPEC,
      description:
        "Restore an earlier Revision's data as a new Revision: HeadRevisionNum, LiveRevisionNum, " +
        "LastAppliedRevisionNum, PreviousLiveRevisionNum, a Revision number, Revision:<uuid> or " +
        "ChangeSet:<uuid>, optionally prefixed Before: (the Revision before it). Tag:<uuid> is not supported.",
    },
  },
} as const;

/** Parses `restore=...` (400 naming the parameter on anything else). */
export function parseRestoreSpec(text: string): RestoreSpec {
  const bad = (why: string) => badRequest(`querystring/restore '${text}' ${why}`);
  const before = text.startsWith("Before:");
  const base = before ? text.slice("Before:".length) : text;
  if (base in NAMED) return { text, before, target: { kind: "named", name: base as keyof typeof NAMED } };
  if (/^[0-9]+$/.test(base)) {
    const num = Number(base);
    if (!Number.isSafeInteger(num) || num < 1) throw bad("is not a Revision number (1 or more)");
    return { text, before, target: { kind: "number", num } };
  }
  const reference = /^(Revision|ChangeSet|Tag):(.*)$/.exec(base);
  if (reference) {
    const [, kind, id] = reference as unknown as [string, string, string];
    if (!UUID.test(id)) throw bad(`names no ${kind} ID: ${kind}: must be followed by a UUID`);
    if (kind === "Tag")
      throw bad("is not supported: confn has no Tags; name a Revision or ChangeSet instead");
    return { text, before, target: { kind: kind as "Revision" | "ChangeSet", id } };
  }
  throw bad(
    "is not a revision: use HeadRevisionNum, LiveRevisionNum, LastAppliedRevisionNum, PreviousLiveRevisionNum, " +
      "a Revision number, Revision:<uuid> or ChangeSet:<uuid>, optionally prefixed Before:",
  );
}

/** The Revision the spec names for this Unit (read with the write's transaction handle). */
export async function resolveRestore(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  current: UnitRecord,
  spec: RestoreSpec,
): Promise<RevisionRow> {
  const bad = (why: string) => badRequest(`querystring/restore '${spec.text}': ${why}`);
  const { target } = spec;
  let num: number;
  let named: RevisionRow | undefined;
  switch (target.kind) {
    case "named":
      num = current[NAMED[target.name]];
      if (num < 1) throw bad(`Unit ${current.slug} has no ${target.name} (it is 0)`);
      break;
    case "number":
      num = target.num;
      break;
    case "Revision":
      named = await getRevision(db, key, target.id);
      num = named.revision_num;
      break;
    case "ChangeSet":
      named = await getLatestChangeSetRevision(db, key, target.id);
      num = named.revision_num;
      break;
  }
  if (spec.before) {
    if (num <= 1) throw bad(`there is no Revision before Revision ${num}`);
    return getRevisionByNum(db, key, num - 1);
  }
  return named ?? getRevisionByNum(db, key, num);
}
