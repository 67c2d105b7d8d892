// Line comments (`value # text`) and head comments (lines above a key) read from and written to the
// CST, where they live next to the tokens they annotate.
import type { CST, Node } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { commentToken, isCollectionToken, sourceToken, spaceToken } from "./cst-tokens.ts";
import type { Holder } from "./locate.ts";

/** The token list that ends the node's line, and where in it a comment may go. */
interface CommentSlot {
  readonly tokens: CST.SourceToken[];
  readonly from: number;
}

function inFlowCollection(holder: Holder): boolean {
  if (holder.kind === "map") return sourceToken(holder.map)?.type === "flow-collection";
  if (holder.kind === "seq") return sourceToken(holder.seq)?.type === "flow-collection";
  return false;
}

function commentSlot(holder: Holder, node: Node | null, where: string): CommentSlot {
  if (holder.kind === "document") {
    throw new ConfigError(
      ConfigErrorCode.UnexpectedNodeKind,
      `cannot put a line comment on the document root`,
      {
        path: where,
      },
    );
  }
  if (inFlowCollection(holder)) {
    throw new ConfigError(
      ConfigErrorCode.UnexpectedNodeKind,
      `cannot put a line comment on ${where}: it is inside a flow collection ({...} or [...])`,
      { path: where },
    );
  }
  const token = sourceToken(node);
  switch (token?.type) {
    case "scalar":
    case "alias":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
      return { tokens: (token.end ??= []), from: 0 };
    case "flow-collection":
      return { tokens: token.end, from: 1 };
    case "block-scalar":
      return { tokens: token.props as CST.SourceToken[], from: 1 };
    default:
      break;
  }
  if (holder.kind === "map" && holder.item.sep && (token === undefined || isCollectionToken(token))) {
    const sep = holder.item.sep;
    return { tokens: sep, from: sep.findIndex((t) => t.type === "map-value-ind") + 1 };
  }
  throw new ConfigError(
    ConfigErrorCode.UnexpectedNodeKind,
    `cannot put a line comment on ${where}: a collection in a list starts on the line of its first entry`,
    { path: where },
  );
}

function lineEnd(slot: CommentSlot): number {
  const newline = slot.tokens.findIndex((t, i) => i >= slot.from && t.type === "newline");
  return newline < 0 ? slot.tokens.length : newline;
}

function existingComment(slot: CommentSlot): number {
  const end = lineEnd(slot);
  return slot.tokens.findIndex((t, i) => i >= slot.from && i < end && t.type === "comment");
}

/** The node's line comment with its `#`, if it has one. */
export function lineComment(holder: Holder, node: Node | null): string | undefined {
  if (holder.kind === "document" || inFlowCollection(holder)) return undefined;
  let slot: CommentSlot;
  try {
    slot = commentSlot(holder, node, "");
  } catch {
    return undefined;
  }
  const at = existingComment(slot);
  return at < 0 ? undefined : slot.tokens[at]!.source;
}

/**
 * Comment lines directly above the entry (none when a blank line separates them). `above` are the
 * tokens written before the entry's own ones: for the first key of a document, the comments at the
 * top of the document.
 */
export function headComments(holder: Holder, above: readonly CST.Token[] = []): string[] {
  if (holder.kind === "document") return [];
  const start = [...above, ...holder.item.start];
  const comments: string[] = [];
  let lastWasNewline = false;
  for (const token of start) {
    if (token.type === "seq-item-ind") break;
    if (token.type === "comment") {
      comments.push((token as CST.SourceToken).source);
      lastWasNewline = false;
    } else if (token.type === "newline") {
      // Two line breaks in a row is a blank line: comments above it belong to something else.
      if (lastWasNewline || comments.length === 0) comments.length = 0;
      lastWasNewline = true;
    } else if (token.type !== "space") {
      lastWasNewline = false;
    }
  }
  return comments;
}

/** Normalises comment text: a `#` is added when missing; an empty text removes the comment. */
export function commentSource(text: string, where: string): string | undefined {
  if (/[\r\n]/.test(text)) {
    throw new ConfigError(
      ConfigErrorCode.InvalidValue,
      `a line comment cannot contain a line break (at ${where})`,
      {
        path: where,
      },
    );
  }
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return trimmed.startsWith("#") ? trimmed : `# ${trimmed}`;
}

/** Sets (or, with undefined, removes) the line comment; true if the text changed. */
export function writeLineComment(
  holder: Holder,
  node: Node | null,
  comment: string | undefined,
  where: string,
): boolean {
  const slot = commentSlot(holder, node, where);
  const at = existingComment(slot);
  if (at >= 0) {
    const existing = slot.tokens[at]!;
    if (comment === existing.source) return false;
    if (comment !== undefined) {
      existing.source = comment;
      return true;
    }
    const before = slot.tokens[at - 1];
    const removeSpace = at - 1 >= slot.from && before?.type === "space";
    slot.tokens.splice(removeSpace ? at - 1 : at, removeSpace ? 2 : 1);
    return true;
  }
  if (comment === undefined) return false;
  const end = lineEnd(slot);
  const before = slot.tokens[end - 1];
  const needsSpace = !(end - 1 >= slot.from && before?.type === "space");
  slot.tokens.splice(end, 0, ...(needsSpace ? [spaceToken(1)] : []), commentToken(comment));
  return true;
}
