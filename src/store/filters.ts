// Filters: saved selections (`From` an entity type, a `Where`, and for Units a `WhereData` and
// `ResourceType`) that list and invoke calls reference with `filter=<id>`. The repository stores
// them; checking that the expressions parse is the caller's job (src/api/routes/filters.ts).
import { createHash } from "node:crypto";
import {
  spaceEntityRepository,
  type ListSpaceEntitiesOptions,
  type SpaceEntityAttributes,
  type SpaceEntityModification,
} from "./space-entity-repository.ts";

export interface FilterAttributes extends SpaceEntityAttributes {
  readonly from: string;
  readonly fromSpaceId: string | null;
  readonly where: string;
  readonly whereData: string;
  readonly resourceType: string;
}

export type ListFiltersOptions = ListSpaceEntitiesOptions;
export type FilterModification = SpaceEntityModification<FilterAttributes>;

/** SHA-256 of the fields that decide what the Filter selects (ConfigHub's read-only `Hash`). */
export function filterHash(
  attributes: Pick<FilterAttributes, "from" | "fromSpaceId" | "where" | "whereData" | "resourceType">,
): string {
  const spec = [
    attributes.from,
    attributes.fromSpaceId ?? "",
    attributes.where,
    attributes.whereData,
    attributes.resourceType,
  ];
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex");
}

const filters = spaceEntityRepository({
  table: "filters",
  idColumn: "filter_id",
  entity: "Filter",
  columns: (attributes: FilterAttributes) => ({
    from: attributes.from,
    from_space_id: attributes.fromSpaceId,
    where: attributes.where,
    where_data: attributes.whereData,
    resource_type: attributes.resourceType,
    hash: filterHash(attributes),
  }),
  sameOwnAttributes: (current, next) =>
    current.from === next.from &&
    current.from_space_id === next.fromSpaceId &&
    current.where === next.where &&
    current.where_data === next.whereData &&
    current.resource_type === next.resourceType,
});

export const listFilters = filters.list;
/** The Filter, found in the organization (and the Space, when given), or NotFoundError. */
export const getFilter = filters.get;
export const createFilter = filters.create;
/**
 * Reads the Filter, lets `plan` decide its new attributes (and validate them against the current
 * row), and writes them with one Version bump (none when nothing changed), in one transaction.
 */
export const modifyFilter = filters.modify;
export const deleteFilter = filters.delete;
