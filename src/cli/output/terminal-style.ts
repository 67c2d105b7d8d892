// Colour for humans only. `--color always|never|auto`; with auto (the default), FORCE_COLOR turns it
// on (unless 0 or false, which turn it off), then NO_COLOR (https://no-color.org; any value, even
// empty) turns it off, else a terminal gets colour. Node itself gives FORCE_COLOR the same
// precedence. Styling goes through node:util's styleText so no escape codes are written by hand.
import { styleText } from "node:util";
import { CliUsageError } from "../cli-error.ts";

export type Style = "red" | "green" | "cyan" | "bold" | "dim";
export type Paint = (style: Style, text: string) => string;
export type ColourMode = "always" | "never" | "auto";

export const COLOUR_MODES: readonly ColourMode[] = ["always", "never", "auto"];

export function parseColourMode(value: string | undefined): ColourMode {
  if (value === undefined) return "auto";
  if ((COLOUR_MODES as readonly string[]).includes(value)) return value as ColourMode;
  throw new CliUsageError(`--color ${value}: expected one of ${COLOUR_MODES.join(", ")}`);
}

export function colourEnabled(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  mode: ColourMode = "auto",
): boolean {
  if (mode !== "auto") return mode === "always";
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  return stream.isTTY === true && env.NO_COLOR === undefined;
}

export function painter(enabled: boolean): Paint {
  // validateStream off: whether to colour was decided above, for the stream the text goes to
  // (styleText would otherwise judge process.stdout, which may not be where the report is written).
  return enabled
    ? (style, text) => (text === "" ? text : styleText(style, text, { validateStream: false }))
    : (_style, text) => text;
}
