// What `ConfigDocument.get` returns: a plain value plus what ConfigHub's getters report about it.
import { isMap, isScalar, isSeq, type CST, type Document, type Node } from "yaml";
import { headComments, lineComment } from "../edit/line-comment.ts";
import type { Holder } from "../edit/locate.ts";

export type NodeKind = "scalar" | "map" | "seq";
export type ScalarType = "string" | "int" | "bool" | "float" | "null";

export interface NodeRef {
  /** The plain value (maps as objects, lists as arrays). */
  readonly value: unknown;
  readonly kind: NodeKind;
  /** Head and line comments, each with its `#`, joined with "\n" (ConfigHub's AttributeValue.Comment). */
  readonly comment?: string;
  /** The YAML type of a scalar. */
  readonly type?: ScalarType;
}

const integerSource = /^[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$/;

export function scalarType(value: unknown, source: string | undefined): ScalarType {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") {
    const integral = source === undefined ? Number.isInteger(value) : integerSource.test(source);
    return integral ? "int" : "float";
  }
  return "string";
}

/**
 * Builds the NodeRef of `node` (already alias-resolved), found through `holder`; `above` are the
 * tokens before the document's first key (its head comments live there).
 */
export function nodeRef(
  node: Node | null,
  holder: Holder,
  document: Document,
  maxAliases: number,
  above: readonly CST.Token[] = [],
): NodeRef {
  const isFirstKey =
    holder.kind === "map" && holder.map === document.contents && holder.map.items[0] === holder.pair;
  const head = headComments(holder, isFirstKey ? above : []);
  const comments = [...head, lineComment(holder, node)].filter((c): c is string => Boolean(c));
  const comment = comments.length > 0 ? { comment: comments.join("\n") } : {};
  if (isMap(node) || isSeq(node)) {
    const value = node.toJS(document, { maxAliasCount: maxAliases });
    return { value, kind: isMap(node) ? "map" : "seq", ...comment };
  }
  const value: unknown = isScalar(node) ? node.value : null;
  const source = isScalar(node) && typeof node.source === "string" ? node.source : undefined;
  const plain = typeof value === "symbol" ? String(value.description) : value;
  return { value: plain, kind: "scalar", type: scalarType(plain, source), ...comment };
}
