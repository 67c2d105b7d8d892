// Colour for humans only: on a terminal, and never when NO_COLOR is set (https://no-color.org; any
// value, even empty, turns it off here, the safe reading for CI logs). Styling goes through
// node:util's styleText so no escape codes are written by hand.
import { styleText } from "node:util";

export type Style = "red" | "green" | "cyan" | "bold" | "dim";
export type Paint = (style: Style, text: string) => string;

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined;
}

export function painter(enabled: boolean): Paint {
  // validateStream off: whether to colour was decided above, for the stream the text goes to
  // (styleText would otherwise judge process.stdout, which may not be where the report is written).
  return enabled
    ? (style, text) => (text === "" ? text : styleText(style, text, { validateStream: false }))
    : (_style, text) => text;
}
