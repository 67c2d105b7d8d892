// Text edits on an HCL file: ranges of the original text and their replacements, applied at once.
// Nothing outside an edit changes, which is what makes the HCL toolchain lossless.
import type { Span } from "./hcl-syntax.ts";
import type { RenderStyle } from "./hcl-render.ts";

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const trailingOnLine = /^[ \t]*,?[ \t]*(?:(?:#|\/\/)[^\n]*)?(?:\n|$)/;

export class HclEditor {
  readonly text: string;
  readonly style: RenderStyle;
  #edits: Edit[] = [];

  constructor(text: string) {
    this.text = text;
    const unit = /\n( +|\t)\S/.exec(text)?.[1];
    this.style = {
      eol: text.includes("\r\n") ? "\r\n" : "\n",
      unit: unit === undefined || unit === "\t" ? (unit ?? "  ") : unit.length >= 4 ? "    " : "  ",
    };
  }

  replace(start: number, end: number, text: string): void {
    this.#edits.push({ start, end, text });
  }

  insert(at: number, text: string): void {
    this.replace(at, at, text);
  }

  /** Runs `fn` and returns the edits it made instead of keeping them (for a container rebuilt whole). */
  capture(fn: () => void): Edit[] {
    const saved = this.#edits;
    this.#edits = [];
    try {
      fn();
      return this.#edits;
    } finally {
      this.#edits = saved;
    }
  }

  /** The text of `span` with those of `edits` that lie inside it applied. */
  sliceWith(span: Span, edits: readonly Edit[]): string {
    const inside = edits
      .filter((e) => e.start >= span.start && e.end <= span.end)
      .map((e) => ({ start: e.start - span.start, end: e.end - span.start, text: e.text }));
    return splice(this.text.slice(span.start, span.end), inside);
  }

  /** Offset of the start of the line holding `at`. */
  lineStart(at: number): number {
    return this.text.lastIndexOf("\n", at - 1) + 1;
  }

  /** The whitespace that starts the line holding `at`. */
  indentAt(at: number): string {
    const start = this.lineStart(at);
    return /^[ \t]*/.exec(this.text.slice(start, at))![0];
  }

  /** True when only spaces precede `at` on its line. */
  startsLine(at: number): boolean {
    return this.text.slice(this.lineStart(at), at).trim() === "";
  }

  /** Offset just past the line break after `at` (or the end of the text). */
  afterLine(at: number): number {
    const newline = this.text.indexOf("\n", at);
    return newline === -1 ? this.text.length : newline + 1;
  }

  /**
   * Removes an item: its whole line when it is alone on it (a comma and a line comment after it go
   * too), else just its text.
   */
  remove(span: Span): void {
    const rest = trailingOnLine.exec(this.text.slice(span.end));
    if (this.startsLine(span.start) && rest) {
      this.replace(this.lineStart(span.start), span.end + rest[0].length, "");
    } else {
      const comma = /^[ \t]*,/.exec(this.text.slice(span.end))?.[0].length ?? 0;
      this.replace(span.start, span.end + comma, "");
    }
  }

  /** The edited text. */
  result(): string {
    return splice(this.text, this.#edits);
  }
}

function splice(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping HCL edits at offset ${edit.start}`);
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}
