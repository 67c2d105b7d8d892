// Getters built on the visitor: read every visited location as a typed attribute and return the
// sorted AttributeValueList ConfigHub's getters return (spec §5.1, §5.3, §6).
import type { ConfigDocumentSet } from "../../src/config/index.ts";
import { FunctionError } from "../../src/engine/index.ts";
import type { AttributeValue } from "../../src/engine/index.ts";
import { attributeValue, sortAttributeValues } from "./attribute-value.ts";
import { readAttribute, type AttributeReading, type ExpectedType } from "./read-attribute.ts";
import { visitPaths, type PathTargets, type PathVisit } from "./visit-paths.ts";

export interface CollectOptions {
  /** The type every value must have; `any` reports each value with its own type. */
  readonly expected: ExpectedType;
  /** Keeps only some values (e.g. those holding placeholders, for get-needed). */
  readonly filter?: (reading: AttributeReading, visit: PathVisit) => boolean;
}

/** The AttributeValue of one reading, with the visit's registered name and Info. */
export function attributeValueOf(visit: PathVisit, reading: AttributeReading): AttributeValue {
  return attributeValue({
    identity: visit.identity,
    path: reading.path,
    attributeName: visit.entry.AttributeName,
    dataType: reading.dataType,
    ...(visit.info ? { info: visit.info } : {}),
    value: reading.value,
    ...(reading.comment ? { comment: reading.comment } : {}),
  });
}

/**
 * Every attribute the targets find, sorted by type, name and path. Values of the wrong type are
 * errors; all of them are reported together (one per line) and no list is returned.
 */
export function collectAttributes(
  data: ConfigDocumentSet,
  targets: PathTargets,
  options: CollectOptions,
): AttributeValue[] {
  const values: AttributeValue[] = [];
  const problems: string[] = [];
  for (const visit of visitPaths(data, targets)) {
    try {
      const reading = readAttribute(visit, options.expected);
      if (!options.filter || options.filter(reading, visit)) values.push(attributeValueOf(visit, reading));
    } catch (error) {
      if (!(error instanceof FunctionError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw FunctionError.join(problems);
  return sortAttributeValues(values);
}
