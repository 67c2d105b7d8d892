// Rewrites an existing scalar in place: CST.setScalarValue keeps its comments and, where the value
// allows it, its quoting style; the composed node is updated to match so reads need no re-parse.
import { CST, type Scalar as YamlScalar } from "yaml";
import type { Holder } from "./locate.ts";
import { scalarValueText, styleFor, tokenStyle, type Scalar } from "./scalar-style.ts";

const coreTags: Record<string, string> = {
  "!!str": "str",
  "!!int": "int",
  "!!float": "float",
  "!!bool": "bool",
  "!!null": "null",
  "!<tag:yaml.org,2002:str>": "str",
  "!<tag:yaml.org,2002:int>": "int",
  "!<tag:yaml.org,2002:float>": "float",
  "!<tag:yaml.org,2002:bool>": "bool",
  "!<tag:yaml.org,2002:null>": "null",
};

function kindOf(value: Scalar): string {
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  return Number.isInteger(value) ? "int" : "float";
}

export function isScalarToken(token: CST.Token | undefined): token is CST.FlowScalar | CST.BlockScalar {
  return (
    token?.type === "scalar" ||
    token?.type === "single-quoted-scalar" ||
    token?.type === "double-quoted-scalar" ||
    token?.type === "block-scalar"
  );
}

/** The tokens holding the node's properties (tag, anchor): after `:` for entries, after `-` for elements. */
function propertyTokens(holder: Holder): CST.SourceToken[] | undefined {
  if (holder.kind === "map") return holder.item.sep;
  if (holder.kind === "seq") return holder.item.start;
  return undefined;
}

/** Removes an explicit core tag (`!!str`, `!!int`, ...) that would contradict the new value. */
function dropConflictingTag(holder: Holder, value: Scalar): boolean {
  const tokens = propertyTokens(holder);
  if (!tokens) return false;
  const at = tokens.findIndex((t) => t.type === "tag");
  const tag = at >= 0 ? coreTags[tokens[at]!.source] : undefined;
  if (tag === undefined) return false;
  const wanted = kindOf(value);
  if (tag === wanted || (tag === "float" && wanted === "int")) return false;
  tokens.splice(at, tokens[at + 1]?.type === "space" ? 2 : 1);
  return true;
}

/**
 * Writes `value` into the scalar token of `node`. The caller has checked that `token` is the node's
 * scalar token; the node is updated to the new value.
 */
export function writeScalar(
  node: YamlScalar,
  token: CST.FlowScalar | CST.BlockScalar,
  holder: Holder,
  value: Scalar,
  inFlow: boolean,
  eol: string,
): void {
  if (dropConflictingTag(holder, value)) delete node.tag;
  const tag = propertyTokens(holder)?.find((t) => t.type === "tag");
  const taggedString = tag !== undefined && coreTags[tag.source] === "str";
  const type = styleFor(value, tokenStyle(token), inFlow, taggedString);
  // In flow collections the value stays on one line (implicitKey forbids line breaks).
  CST.setScalarValue(token, scalarValueText(value), {
    afterKey: holder.kind === "map",
    inFlow,
    implicitKey: inFlow,
    type,
  });
  if (token.type === "block-scalar" && eol !== "\n") {
    // setScalarValue joins block lines with "\n"; a CRLF document keeps CRLF.
    token.source = token.source.replace(/\r?\n/g, eol);
    for (const prop of token.props) if (prop.type === "newline") prop.source = eol;
  }
  node.value = value;
  node.source = scalarValueText(value);
  node.type = tokenStyle(token);
}
