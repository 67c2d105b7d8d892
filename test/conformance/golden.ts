// Reads fctl's printed output (golden files and our own printer's output) back into its parts, so
// both sides can be compared as data rather than as bytes.
export interface PrintedResult {
  success: boolean | undefined;
  errorMessages: string[] | undefined;
  /** The CONFIGDATA section, or undefined when it was not printed. */
  configData: string | undefined;
  /** The OUTPUT section's text, or undefined when it was not printed. */
  output: string | undefined;
}

const SUCCESS = /^SUCCESS\s+(true|false)\s*$/;
const ERRORS = /^ERRORMESSAGES\s+(.*)$/;

/** Parses printed fctl output; a data-only print is the data alone. */
export function parsePrinted(text: string, dataOnly: boolean): PrintedResult {
  if (dataOnly) return { success: undefined, errorMessages: undefined, configData: text, output: undefined };
  let rest = text;
  const takeLine = (): string => {
    const newline = rest.indexOf("\n");
    const line = newline < 0 ? rest : rest.slice(0, newline);
    rest = newline < 0 ? "" : rest.slice(newline + 1);
    return line;
  };
  const first = SUCCESS.exec(takeLine());
  if (!first)
    throw new Error(
      `printed output does not start with a SUCCESS line: ${JSON.stringify(text.slice(0, 40))}`,
    );
  const result: PrintedResult = {
    success: first[1] === "true",
    errorMessages: undefined,
    configData: undefined,
    output: undefined,
  };
  const errors = ERRORS.exec(rest.split("\n", 1)[0] ?? "");
  if (errors) {
    takeLine();
    result.errorMessages = errors[1]!
      .split("; ")
      .map((m) => m.trim())
      .filter((m) => m !== "");
  }
  if (rest.startsWith("CONFIGDATA\n---------\n")) {
    rest = rest.slice("CONFIGDATA\n---------\n".length);
    const output = rest.indexOf("\nOUTPUT\n------\n");
    if (output < 0 && !rest.startsWith("OUTPUT\n------\n")) {
      result.configData = rest;
      rest = "";
    } else if (rest.startsWith("OUTPUT\n------\n")) {
      result.configData = "";
    } else {
      result.configData = rest.slice(0, output + 1);
      rest = rest.slice(output + 1);
    }
  }
  if (rest.startsWith("OUTPUT\n------\n")) {
    result.output = rest.slice("OUTPUT\n------\n".length);
  } else if (rest.trim() !== "") {
    throw new Error(`unexpected printed text: ${JSON.stringify(rest.slice(0, 60))}`);
  }
  return result;
}
