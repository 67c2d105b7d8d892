// `confn function list` and `confn function explain` texts: fctl's catalogue table (spec §6 "list")
// and cub's explanation (usage line, properties, parameter table; server-api §6).
import type { FunctionParameter, FunctionSignature } from "../../engine/index.ts";
import { formatTable } from "./table.ts";

/**
 * A signature as listings print it: a bridge worker's (a Go worker's, a module's) may leave out its
 * Description or Parameters, which the built-ins always have.
 */
export function shownSignature(s: FunctionSignature): FunctionSignature {
  return {
    ...s,
    Description: s.Description ?? "",
    Parameters: (s.Parameters ?? []).map((p) => ({ ...p, Description: p.Description ?? "" })),
  };
}

/** One row per function, sorted by name, with fctl's columns. */
export function formatFunctionList(signatures: readonly FunctionSignature[]): string {
  const rows = [
    [
      "FUNCTIONNAME",
      "REQ'DPARAMETERS",
      "VARARGS",
      "MUTATING",
      "VALIDATING",
      "HERMETIC",
      "IDEMPOTENT",
      "DESCRIPTION",
      "PARAMETERS",
    ],
  ];
  const sorted = signatures.map(shownSignature).sort((a, b) => (a.FunctionName < b.FunctionName ? -1 : 1));
  for (const s of sorted) {
    rows.push([
      s.FunctionName,
      String(s.RequiredParameters),
      String(s.VarArgs),
      String(s.Mutating),
      String(s.Validating),
      String(s.Hermetic),
      String(s.Idempotent),
      s.Description,
      s.Parameters.map(
        (p) => `${p.ParameterName}:${JSON.stringify(p.Description)}(${p.Required ? "req" : "opt"}), `,
      ).join(""),
    ]);
  }
  return formatTable(rows);
}

/** `usage` is how the command runs it: a local file by default, or `confn function do ... --`. */
export function formatFunctionExplanation(signature: FunctionSignature, usage = "confn do FILE --"): string {
  const s = shownSignature(signature);
  const required = s.Parameters.filter((p) => p.Required).map((p) => `<${p.ParameterName}>`);
  const optional = s.Parameters.filter((p) => !p.Required).map((p) => `[--${p.ParameterName}=${p.DataType}]`);
  if (s.VarArgs && s.Parameters.length > 0) required.push("...");
  const usageLine = [usage, s.FunctionName, ...required, ...optional].join(" ");

  const properties = formatTable([
    ["Toolchain Type", s.ToolchainType ?? ""],
    ["Required Parameters", String(s.RequiredParameters)],
    ["Varargs", String(s.VarArgs)],
    ["Mutating", String(s.Mutating)],
    ["Final Mutating", String(s.FinalMutating ?? false)],
    ["Validating", String(s.Validating)],
    ["Hermetic", String(s.Hermetic)],
    ["Idempotent", String(s.Idempotent)],
    ["Function Type", s.FunctionType],
    ["Attribute Name", s.AttributeName ?? ""],
    ["Affected Resource Types", (s.AffectedResourceTypes ?? []).join(", ")],
    ["Output Type", s.OutputInfo?.OutputType ?? ""],
  ]);

  let text = `${s.Description}\n\nUsage: ${usageLine}\n\n${properties}`;
  if (s.Parameters.length > 0) {
    const rows = [["PARAMETER", "NAME", "DATA-TYPE", "REQUIRED", "DESCRIPTION", "EXAMPLE", "CONSTRAINT"]];
    s.Parameters.forEach((p, i) => {
      rows.push([
        String(i),
        p.ParameterName,
        p.DataType,
        String(p.Required),
        p.Description,
        p.Example ?? "",
        constraint(p),
      ]);
    });
    text += `\n${formatTable(rows)}`;
  }
  return text;
}

function constraint(p: FunctionParameter): string {
  const parts: string[] = [];
  if (p.Regexp) parts.push(`regexp ${p.Regexp}`);
  if (p.Min !== undefined || p.Max !== undefined) parts.push(`range [${p.Min ?? ""},${p.Max ?? ""}]`);
  if (p.EnumValues?.length) parts.push(`one of ${p.EnumValues.join("|")}`);
  return parts.join("; ");
}
