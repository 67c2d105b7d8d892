// The attributes that still hold placeholders (get-placeholders, no-placeholders; spec §5.1): strings
// containing `confighubplaceholder`, then strings containing the deprecated `replaceme`, then ints
// equal to 999999999; each group sorted by type, name and path. A string holding both placeholders
// is listed once, in the first group (ConfigHub lists it twice).
import type { ConfigDocumentSet } from "../../../src/config/index.ts";
import type { AttributeValue } from "../../../src/engine/index.ts";
import {
  GENERAL_ATTRIBUTE,
  attributeValue,
  identifyAll,
  sortAttributeValues,
} from "../../path-visitor/index.ts";
import { DEPRECATED_PLACEHOLDER_STRING, PLACEHOLDER_INT, PLACEHOLDER_STRING } from "./placeholder-values.ts";
import { scalarLeaves } from "./scalar-leaves.ts";

export function findPlaceholders(data: ConfigDocumentSet): AttributeValue[] {
  const current: AttributeValue[] = [];
  const deprecated: AttributeValue[] = [];
  const ints: AttributeValue[] = [];
  const identities = identifyAll(data);
  data.documents.forEach((document, index) => {
    const identity = identities[index]!;
    const leaves = scalarLeaves(document, (value) =>
      typeof value === "string"
        ? value.includes(PLACEHOLDER_STRING) || value.includes(DEPRECATED_PLACEHOLDER_STRING)
        : value === PLACEHOLDER_INT,
    );
    for (const { resolved, value } of leaves) {
      if (typeof value === "number") {
        // 999999999.0 is a float, not the int placeholder: ask the document for the scalar's type.
        if (document.get(resolved)?.type !== "int") continue;
        ints.push(
          attributeValue({
            identity,
            path: resolved.path,
            attributeName: GENERAL_ATTRIBUTE,
            dataType: "int",
            value,
          }),
        );
        continue;
      }
      const group = value.includes(PLACEHOLDER_STRING) ? current : deprecated;
      group.push(
        attributeValue({
          identity,
          path: resolved.path,
          attributeName: GENERAL_ATTRIBUTE,
          dataType: "string",
          value,
        }),
      );
    }
  });
  return [...sortAttributeValues(current), ...sortAttributeValues(deprecated), ...sortAttributeValues(ints)];
}
