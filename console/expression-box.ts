// A `where` or `where_data` input whose error (the server's own message, checked as the user types)
// is shown under it with a caret at the column the message names.
import { h, replace } from "./dom.ts";

export interface ExpressionBox {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  value(): string;
  showError(message: string | undefined): void;
}

let counter = 0;

export function expressionBox(label: string, name: string, placeholder: string, initial = ""): ExpressionBox {
  const id = `expr-${name}-${++counter}`;
  const input = h("input", {
    id,
    name,
    type: "text",
    class: "expr",
    placeholder,
    spellcheck: "false",
    autocomplete: "off",
    "aria-describedby": `${id}-error`,
  });
  input.value = initial;
  const error = h("div", { id: `${id}-error`, class: "expr-error", "aria-live": "polite" });
  return {
    element: h("div", { class: "field" }, h("label", { for: id }, label), input, error),
    input,
    // Sent as typed (blank means none), so the columns the server names match the box.
    value: () => (input.value.trim() ? input.value : ""),
    showError(message) {
      input.setAttribute("aria-invalid", message ? "true" : "false");
      if (!message) return replace(error);
      const column = /at column (\d+)/.exec(message);
      const caret = column ? Number(column[1]) : undefined;
      replace(
        error,
        h("p", { class: "error", role: "alert" }, message),
        caret !== undefined
          ? h(
              "pre",
              { class: "caret", "aria-hidden": "true" },
              `${input.value}\n${" ".repeat(Math.max(0, caret - 1))}^`,
            )
          : null,
      );
    },
  };
}

/** Which box a list's 400 is about: the message names `where_data`, a filter, or else `where`. */
export function errorTarget(message: string): "where" | "where_data" | "filter" {
  if (/where_data/.test(message)) return "where_data";
  if (/^(querystring\/)?filter\b|\bFilter\b/.test(message)) return "filter";
  return "where";
}
