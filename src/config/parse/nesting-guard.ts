// Rejects collections nested deeper than `maxDepth` before anything recursive (the composer, toJS,
// CST stringify) touches the tokens. The parser itself is iterative, so this walk is the first line
// of defence against stack exhaustion. It also reports whether any alias occurs, so the (costlier)
// alias checks run only for documents that use aliases.
import type { CST } from "yaml";

export interface NestingReport {
  /** Offset of the first token deeper than the limit, if any. */
  readonly tooDeepAt: number | undefined;
  readonly hasAliases: boolean;
}

export function inspectNesting(token: CST.Token, maxDepth: number): NestingReport {
  const stack: { token: CST.Token; depth: number }[] = [{ token, depth: 0 }];
  let hasAliases = false;
  while (stack.length > 0) {
    const { token: current, depth } = stack.pop()!;
    if (depth > maxDepth) return { tooDeepAt: current.offset, hasAliases };
    switch (current.type) {
      case "alias":
        hasAliases = true;
        break;
      case "document":
        if (current.value) stack.push({ token: current.value, depth });
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection":
        for (const item of current.items) {
          if (item.key) stack.push({ token: item.key, depth: depth + 1 });
          if (item.value) stack.push({ token: item.value, depth: depth + 1 });
        }
        break;
      default:
        break;
    }
  }
  return { tooDeepAt: undefined, hasAliases };
}
