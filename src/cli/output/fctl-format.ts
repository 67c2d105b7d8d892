// Prints one Unit's result the way ConfigHub's fctl does (spec §6 "Printed output"):
//   SUCCESS    <bool>                     (+ ERRORMESSAGES    m1; m2;  when Success is false)
//   CONFIGDATA / --------- / <data>       only when the bytes changed (or --data-only)
//   OUTPUT / ------ / <2-space JSON>      or the raw Payload for YAML output; skipped when there is none
// Mutations are never printed. Our result can hold outputs of several types (V26); the first prints
// under OUTPUT as fctl's single output did, any others under `OUTPUT <type>`.
// JSON is printed for people: `>` stays `>`. fctl prints Go's HTML-safe escapes (`\u003e`); the
// conformance replay asks for those with `json: "go"` to compare bytes with ConfigHub's goldens.
import { goJson } from "../../engine/index.ts";
import type { ExecutionResult, OutputType, YAMLPayload } from "../../engine/index.ts";

export type FctlMode = "full" | "data-only" | "output-only";

/** `plain`: JSON.stringify's escaping; `go`: Go's encoding/json escaping, as fctl prints. */
export type JsonEscaping = "plain" | "go";

export function formatFctl(
  result: ExecutionResult,
  mode: FctlMode = "full",
  json: JsonEscaping = "plain",
): string {
  if (mode === "data-only") return result.configData;
  if (mode === "output-only") {
    return result.outputs.map(([type, value]) => withNewline(renderOutput(type, value, json))).join("");
  }
  let text = `SUCCESS    ${String(result.success)}    \n`;
  if (!result.success) {
    text += `ERRORMESSAGES    ${result.errorMessages.map((m) => `${m}; `).join("")}\n`;
  }
  if (result.dataChanged) text += `CONFIGDATA\n---------\n${withNewline(result.configData)}`;
  result.outputs.forEach(([type, value], i) => {
    const title = i === 0 ? "OUTPUT" : `OUTPUT ${type}`;
    text += `${title}\n${"-".repeat(title.length)}\n${withNewline(renderOutput(type, value, json))}`;
  });
  return text;
}

/** Indented JSON (MarshalIndent's layout), or the payload text for YAML output. */
export function renderOutput(type: OutputType, value: unknown, json: JsonEscaping = "plain"): string {
  if (type === "YAML") return (value as YAMLPayload).Payload;
  return json === "go" ? goJson(value, "  ") : JSON.stringify(value, null, "  ");
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
