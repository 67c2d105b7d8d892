// The line comments a MutationInfo.Value carries (`app: nginx # why`): patch-mutations writes the
// plain value, then these comments, so a comment recorded by compute-mutations reaches the target.
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";

export interface ValueComment {
  /** Where the commented scalar sits below the Value's root (empty: the root itself). */
  readonly segments: (string | number)[];
  /** The comment with its `#`. */
  readonly comment: string;
}

/** The line comments of the scalars of a Value text (empty when it is not YAML: the caller reports that). */
export function valueComments(text: string): ValueComment[] {
  const document = parseDocument(text);
  if (document.errors.length > 0) return [];
  const found: ValueComment[] = [];
  collect(document.contents, [], found);
  return found;
}

function collect(node: unknown, segments: (string | number)[], found: ValueComment[]): void {
  if (isScalar(node)) {
    // A comment spanning lines is not a line comment (it sits below the value).
    if (node.comment && !node.comment.includes("\n")) found.push({ segments, comment: `#${node.comment}` });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key)) collect(pair.value, [...segments, String(pair.key.value)], found);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collect(item as Node, [...segments, index], found));
  }
}
