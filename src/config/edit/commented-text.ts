// The YAML text of one node together with the comments inside it: ConfigHub's MutationInfo.Value is
// the node's own YAML (spec §4.1), and a comment in a changed sub-tree travels with it.
import { Document, isNode, visit, type Node } from "yaml";

/** Whether the node or anything below it carries a comment. */
function hasComments(node: Node): boolean {
  let found = false;
  visit(node, (_key, child) => {
    if (isNode(child) && (child.comment || child.commentBefore)) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

/**
 * The node's YAML text with its comments (block style, 2-space indent, sequences not indented under
 * their key), or undefined when the node has no comments: its plain value renders the same then.
 * Undefined too for a node that cannot be written on its own (an alias to an anchor outside it).
 */
export function commentedText(node: Node | null): string | undefined {
  if (node === null || !hasComments(node)) return undefined;
  try {
    return new Document(node).toString({ indent: 2, indentSeq: false, lineWidth: 0 });
  } catch {
    return undefined;
  }
}
