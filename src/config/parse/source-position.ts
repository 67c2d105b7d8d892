// Maps offsets in a Unit text to 1-based line/column and to the YAML document that contains them.
import type { LineCounter } from "yaml";

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  /** 0-based index of the YAML document containing the offset (hidden documents count). */
  readonly documentIndex: number;
}

export class SourceLocator {
  readonly #lineCounter: LineCounter;
  readonly #documentOffsets: readonly number[];
  /** Added to every reported line, for texts that are a part of a larger Unit text. */
  readonly #lineShift: number;
  readonly #documentShift: number;

  constructor(
    lineCounter: LineCounter,
    documentOffsets: readonly number[],
    lineShift = 0,
    documentShift = 0,
  ) {
    this.#lineCounter = lineCounter;
    this.#documentOffsets = documentOffsets;
    this.#lineShift = lineShift;
    this.#documentShift = documentShift;
  }

  locate(offset: number): SourcePosition {
    const { line, col } = this.#lineCounter.linePos(Math.max(0, offset));
    let documentIndex = 0;
    for (let i = 0; i < this.#documentOffsets.length; i++) {
      if ((this.#documentOffsets[i] ?? 0) <= offset) documentIndex = i;
      else break;
    }
    return { line: line + this.#lineShift, column: col, documentIndex: documentIndex + this.#documentShift };
  }
}
