// Spelling new scalars and keys. Inside flow collections everything stays on one line (escaped
// double quotes for multi-line strings), so a value can be grafted at any indentation.
import { CST } from "yaml";
import { nonStringSource, plainReadsAsOtherType, styleFor } from "./scalar-style.ts";

/** The spelling of a new map key: plain when that reads back as the same string, else quoted. */
export function keySource(key: string, inFlow: boolean): string {
  const type = key === "" || plainReadsAsOtherType(key) ? "QUOTE_DOUBLE" : "PLAIN";
  return CST.createScalarToken(key, { implicitKey: true, inFlow, indent: 0, type, end: [] }).source;
}

/**
 * A scalar written on the line of its key or dash. In block context a multi-line string becomes a
 * literal block whose lines are indented by `indent`; in flow context it is one escaped line.
 */
export function inlineScalar(
  value: string | number | boolean | null,
  indent: number,
  inFlow: boolean,
  eol: string,
): string {
  if (value === null) return "null";
  if (typeof value !== "string") return nonStringSource(value);
  const token = CST.createScalarToken(value, {
    indent,
    inFlow,
    implicitKey: inFlow,
    type: styleFor(value, "PLAIN", inFlow),
    end: [],
  });
  return CST.stringify(token)
    .replace(/\r?\n$/, "")
    .replace(/\n/g, eol);
}
