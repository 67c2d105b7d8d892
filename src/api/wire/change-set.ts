// ChangeSet on the wire (ConfigHub's ChangeSet / ExtendedChangeSet), its request bodies and the row
// -> wire conversion. Units join one through Unit.ChangeSetID.
import type { ChangeSetRow } from "../../store/index.ts";
import { optionalIds, uuidSchema } from "./common.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { commonReadOnly, commonWritable, toWireSpaceEntity, type WireSpaceEntity } from "./space-entity.ts";
import { extendedSchema } from "./extended-schema.ts";

export interface WireChangeSet extends WireSpaceEntity {
  ChangeSetID: string;
  Description: string;
  StartTagID?: string;
  EndTagID?: string;
  State: string;
  EntityType: "ChangeSet";
}

export interface WireExtendedChangeSet {
  ChangeSet: WireChangeSet;
}

const writable = {
  ...commonWritable,
  Description: { type: "string", maxLength: 4096, description: "What the change is about." },
} as const;

export const changeSetSchema = {
  $id: "ChangeSet",
  type: "object",
  description: "A named group of changes across Units; a member Unit's writes must name it (change_set_id).",
  properties: {
    ChangeSetID: uuidSchema,
    ...commonReadOnly,
    ...writable,
    StartTagID: { ...uuidSchema, description: "Always unset: confn has no Tags yet (see docs/invoke.md)." },
    EndTagID: { ...uuidSchema, description: "Always unset: confn has no Tags yet (see docs/invoke.md)." },
    State: { type: "string", description: "Open." },
  },
  required: ["ChangeSetID", "SpaceID", "OrganizationID", "Slug", "Version"],
} as const;

export const extendedChangeSetSchema = extendedSchema("ChangeSet");

export const createChangeSetBodySchema = createBodySchema(changeSetSchema, writable, ["Slug"]);
export const patchChangeSetBodySchema = patchBodySchema(changeSetSchema, writable, ["Slug"]);

export function toWireChangeSet(changeSet: ChangeSetRow): WireChangeSet {
  return {
    ChangeSetID: changeSet.change_set_id,
    ...toWireSpaceEntity(changeSet),
    Description: changeSet.description,
    ...optionalIds({ StartTagID: changeSet.start_tag_id, EndTagID: changeSet.end_tag_id }),
    State: changeSet.state,
    EntityType: "ChangeSet",
  };
}

export function toWireExtendedChangeSet(changeSet: ChangeSetRow): WireExtendedChangeSet {
  return { ChangeSet: toWireChangeSet(changeSet) };
}
