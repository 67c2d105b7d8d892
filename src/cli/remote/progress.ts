// Progress of a long run on stderr, one line rewritten in place, only when stderr is a terminal:
// CI logs and pipes stay clean, and stdout (the report, or --json) is never touched.
import { clearLine, cursorTo } from "node:readline";

export interface Progress {
  update(text: string): void;
  done(): void;
}

/** Rewrites at most every 100 ms so a fast loop does not flood the terminal. */
const MIN_INTERVAL_MS = 100;

export function progressOn(stream: NodeJS.WritableStream & { isTTY?: boolean }): Progress {
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  let shown = false;
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (shown && now - last < MIN_INTERVAL_MS) return;
      last = now;
      cursorTo(stream, 0);
      clearLine(stream, 0);
      stream.write(text);
      shown = true;
    },
    done() {
      if (!shown) return;
      cursorTo(stream, 0);
      clearLine(stream, 0);
      shown = false;
    },
  };
}
