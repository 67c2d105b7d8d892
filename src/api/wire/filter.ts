// Filter on the wire (ConfigHub's Filter / ExtendedFilter), its request bodies and the row -> wire
// conversion. A Filter saves a selection: `From` an entity type, a `Where`, and for Units a
// `WhereData` and `ResourceType`.
import type { FilterRow } from "../../store/index.ts";
import { optionalIds, uuidSchema } from "./common.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { commonReadOnly, commonWritable, toWireSpaceEntity, type WireSpaceEntity } from "./space-entity.ts";
import { extendedSchema } from "./extended-schema.ts";

export interface WireFilter extends WireSpaceEntity {
  FilterID: string;
  From: string;
  FromSpaceID?: string;
  Where: string;
  WhereData: string;
  ResourceType: string;
  Hash: string;
  EntityType: "Filter";
}

export interface WireExtendedFilter {
  Filter: WireFilter;
}

const writable = {
  ...commonWritable,
  From: {
    type: "string",
    minLength: 1,
    description: "Entity type filtered, PascalCase: Unit, Space, Trigger, Filter, Invocation, ChangeSet.",
  },
  FromSpaceID: { ...uuidSchema, description: "Only for this Space's entities (optional)." },
  Where: { type: "string", maxLength: 4096, description: "`where` expression over the entity's attributes." },
  WhereData: { type: "string", maxLength: 4096, description: "Units only: condition on the config data." },
  ResourceType: {
    type: "string",
    maxLength: 253,
    description: "Units only: resource type WhereData looks at ([group/]version/Kind).",
  },
} as const;

export const filterSchema = {
  $id: "Filter",
  type: "object",
  description: "A saved selection, referenced with filter=<FilterID>.",
  properties: {
    FilterID: uuidSchema,
    ...commonReadOnly,
    ...writable,
    Hash: { type: "string", description: "SHA-256 of From, FromSpaceID, Where, WhereData, ResourceType." },
  },
  required: ["FilterID", "SpaceID", "OrganizationID", "Slug", "From", "Version"],
} as const;

export const extendedFilterSchema = extendedSchema("Filter");

export const createFilterBodySchema = createBodySchema(filterSchema, writable, ["Slug", "From"]);
export const patchFilterBodySchema = patchBodySchema(filterSchema, writable, ["Slug", "From"]);

export function toWireFilter(filter: FilterRow): WireFilter {
  return {
    FilterID: filter.filter_id,
    ...toWireSpaceEntity(filter),
    From: filter.from,
    ...optionalIds({ FromSpaceID: filter.from_space_id }),
    Where: filter.where,
    WhereData: filter.where_data,
    ResourceType: filter.resource_type,
    Hash: filter.hash,
    EntityType: "Filter",
  };
}

export function toWireExtendedFilter(filter: FilterRow): WireExtendedFilter {
  return { Filter: toWireFilter(filter) };
}
