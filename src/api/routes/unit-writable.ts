// The Unit attributes a client writes (PATCH, PUT, bulk PATCH, bulk clone), in one place: which wire
// members they are, how a merge patch applies to them, and how they become the store's attributes.
import type { UnitAttributes, UnitRecord } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { applyMergePatch, type Json } from "../merge-patch.ts";
import type { WireUnit } from "../wire/unit.ts";

const WRITABLE = [
  "Slug",
  "DisplayName",
  "Labels",
  "Annotations",
  "LastChangeDescription",
  "DeleteGates",
  "DestroyGates",
  "ChangeSetID",
] as const;
type WritableName = (typeof WRITABLE)[number];

/** A Unit as a client sends it: the writable members, its toolchain and its data. */
export type UnitBody = Partial<Pick<WireUnit, WritableName | "ToolchainType" | "Data">>;
/** A merge patch (members null to remove) or a whole Unit (PUT), with the Version read. */
export type UnitUpdateBody = { [K in keyof UnitBody]?: UnitBody[K] | null } & { Version?: number };

/** The writable members of `unit`, as a merge patch's starting point. */
export function writableView(unit: Pick<WireUnit, WritableName>): UnitBody {
  const view: Record<string, unknown> = {};
  for (const key of WRITABLE) view[key] = unit[key];
  return view as UnitBody;
}

/** The writable members of a body; Data, ToolchainType, Version and read-only members are handled apart. */
export function pickWritable(body: UnitUpdateBody): UnitBody {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (key in body && body[key] !== undefined) out[key] = body[key];
  return out as UnitBody;
}

/** `patch`'s writable members merged onto `view` (RFC 7396: null removes a member). */
export function mergeWritable(view: UnitBody, patch: UnitUpdateBody): UnitBody {
  return applyMergePatch(view as Json, pickWritable(patch) as Json) as UnitBody;
}

/** A Unit's toolchain never changes: a body naming another one is a 400. */
export function checkToolchainUnchanged(
  unit: Pick<UnitRecord, "toolchain_type">,
  body: UnitUpdateBody,
): void {
  if (typeof body.ToolchainType === "string" && body.ToolchainType !== unit.toolchain_type) {
    throw badRequest(
      `body/ToolchainType cannot change: the Unit is ${unit.toolchain_type}; create a new Unit instead`,
    );
  }
}

/** The store's attributes for a whole writable view; members left out get their empty value. */
export function unitAttributes(whole: UnitBody, slug: string, displayName = ""): UnitAttributes {
  return {
    slug,
    displayName: whole.DisplayName ?? displayName,
    labels: whole.Labels ?? {},
    annotations: whole.Annotations ?? {},
    lastChangeDescription: whole.LastChangeDescription ?? "",
    deleteGates: whole.DeleteGates ?? {},
    destroyGates: whole.DestroyGates ?? {},
    changeSetId: whole.ChangeSetID ?? null,
  };
}
