// Syntax highlighting for Unit data, line by line (YAML first; the key/value toolchains HCL, TOML,
// properties and env share the generic rules). A line tokenizer is enough for reading config and
// keeps every line independent, so the diff view highlights its lines the same way.
import { h } from "./dom.ts";

interface Token {
  readonly text: string;
  readonly kind?: "key" | "string" | "number" | "bool" | "comment" | "punct";
}

const YAML_KEY = /^(\s*(?:-\s+)*)([^\s#'"{}[\],&*!|>%@`][^#]*?|"[^"]*"|'[^']*')(\s*:)(?=\s|$)/;
const ASSIGN_KEY = /^(\s*)([A-Za-z0-9_.\-/[\]"]+)(\s*[=:])/;
const SCALAR = /^(\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null|~)(\s*)$/;

/** Tokens of one line; `yaml` picks the YAML key rule over the `key = value` one. */
export function tokenize(line: string, yaml: boolean): Token[] {
  const tokens: Token[] = [];
  let rest = line;
  const trimmed = rest.trimStart();
  if (
    trimmed.startsWith("#") ||
    trimmed.startsWith("//") ||
    (yaml && (trimmed === "---" || trimmed === "..."))
  ) {
    return [{ text: rest, kind: trimmed.startsWith("-") || trimmed === "..." ? "punct" : "comment" }];
  }
  const key = (yaml ? YAML_KEY : ASSIGN_KEY).exec(rest);
  if (key) {
    tokens.push(
      { text: key[1] ?? "", kind: "punct" },
      { text: key[2] ?? "", kind: "key" },
      { text: key[3] ?? "", kind: "punct" },
    );
    rest = rest.slice(key[0].length);
  } else if (yaml) {
    const dash = /^(\s*-\s?)/.exec(rest);
    if (dash) {
      tokens.push({ text: dash[1] ?? "", kind: "punct" });
      rest = rest.slice(dash[0].length);
    }
  }
  const comment = findComment(rest);
  const value = comment < 0 ? rest : rest.slice(0, comment);
  const scalar = SCALAR.exec(value);
  if (scalar) {
    const text = scalar[2] ?? "";
    const kind = /^["']/.test(text) ? "string" : /^(true|false|null|~)$/.test(text) ? "bool" : "number";
    tokens.push({ text: scalar[1] ?? "" }, { text, kind }, { text: scalar[3] ?? "" });
  } else {
    tokens.push({ text: value, kind: value.trim() ? "string" : undefined });
  }
  if (comment >= 0) tokens.push({ text: rest.slice(comment), kind: "comment" });
  return tokens;
}

/** Where a trailing ` #` comment starts outside quotes, or -1. */
function findComment(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1] ?? ""))) {
      return i;
    }
  }
  return -1;
}

/** One highlighted line as a <code> element. */
export function highlightLine(line: string, yaml: boolean): HTMLElement {
  return h(
    "code",
    {},
    tokenize(line, yaml).map((token) =>
      token.kind ? h("span", { class: `tok-${token.kind}` }, token.text) : token.text,
    ),
  );
}

export function isYaml(toolchain: string): boolean {
  return toolchain.endsWith("YAML");
}

/** Lines shown before a "show the rest" button: a Unit's data may be megabytes. */
export const FIRST_LINES = 3000;

/** The data with line numbers, in a table the keyboard can scroll; very long data shows its start first. */
export function codeView(text: string, toolchain: string): HTMLElement {
  const yaml = isYaml(toolchain);
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const body = h("tbody");
  const render = (from: number, to: number) => {
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      fragment.appendChild(
        h(
          "tr",
          {},
          h("td", { class: "ln", "aria-hidden": "true" }, i + 1),
          h("td", { class: "src" }, highlightLine(lines[i] ?? "", yaml)),
        ),
      );
    }
    body.appendChild(fragment);
  };
  render(0, Math.min(lines.length, FIRST_LINES));
  const rest =
    lines.length > FIRST_LINES
      ? h(
          "button",
          {
            type: "button",
            onclick: () => {
              render(FIRST_LINES, lines.length);
              rest?.remove();
            },
          },
          `Show the other ${lines.length - FIRST_LINES} lines`,
        )
      : null;
  return h(
    "div",
    {},
    h(
      "div",
      {
        class: "code-scroll",
        tabindex: 0,
        role: "region",
        "aria-label": `${toolchain} data, ${lines.length} lines`,
      },
      h("table", { class: "code" }, body),
    ),
    rest,
  );
}
