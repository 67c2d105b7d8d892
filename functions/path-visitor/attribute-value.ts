// Building getter output (spec §6 AttributeValue): keys in ConfigHub's order, `omitempty` fields left
// out when empty, so the JSON reads exactly like ConfigHub's.
import type { ResourceIdentity } from "../../src/config/index.ts";
import type { AttributeDetails, AttributeValue, DataType, ResourceCategory } from "../../src/engine/index.ts";

export interface AttributeValueFields {
  readonly identity: ResourceIdentity;
  /** The resolved path, with its `#accessor` suffix when an accessor was applied. */
  readonly path: string;
  readonly attributeName?: string;
  readonly dataType: DataType;
  readonly info?: AttributeDetails;
  readonly value: string | number | boolean | null;
  readonly comment?: string;
  /** ConfigHub's InLiveState: for attributes read from a live state (confn has none yet). */
  readonly inLiveState?: boolean;
}

/** One AttributeValue, in ConfigHub's field order. */
export function attributeValue(fields: AttributeValueFields): AttributeValue {
  const { identity } = fields;
  return {
    ResourceName: identity.name,
    ResourceNameWithoutScope: identity.nameWithoutScope,
    ResourceType: identity.type,
    ...(identity.category ? { ResourceCategory: identity.category as ResourceCategory } : {}),
    Path: fields.path,
    ...(fields.inLiveState ? { InLiveState: true } : {}),
    ...(fields.attributeName ? { AttributeName: fields.attributeName } : {}),
    DataType: fields.dataType,
    ...(fields.info ? { Info: fields.info } : {}),
    Value: fields.value,
    ...(fields.comment ? { Comment: fields.comment } : {}),
  };
}

/**
 * Sorts getter output the way ConfigHub does (spec §6): by ResourceType, then ResourceName, then
 * Path, comparing code units; stable, so entries that tie keep their visiting order.
 */
export function sortAttributeValues(values: AttributeValue[]): AttributeValue[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return values.sort(
    (a, b) =>
      compare(a.ResourceType, b.ResourceType) ||
      compare(a.ResourceName, b.ResourceName) ||
      compare(a.Path, b.Path),
  );
}
