// A form generated from a FunctionSignature: one input per parameter (a number box for int, a
// true/false choice for bool, a list for enum values, text otherwise, with the example as a
// placeholder), checked as the server checks arguments (src/engine/arguments/validate-arguments.ts):
// required, Go integer syntax, Min/Max, the anchored Regexp, the enum. The server checks again on
// every run; this only tells the user sooner.
import type { Argument, FunctionParameter, FunctionSignature } from "./api.ts";
import { h, replace } from "./dom.ts";

export interface FunctionForm {
  readonly element: HTMLElement;
  readonly signature: FunctionSignature;
  /** The arguments, or undefined after showing what is wrong. */
  arguments(): Argument[] | undefined;
}

let counter = 0;

/** JavaScript's spelling of an RE2 pattern (named groups `(?P<n>` are `(?<n>`), anchored like the server's. */
export function parameterPattern(regexp: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${regexp.replaceAll("(?P<", "(?<")})$`);
  } catch {
    return undefined; // RE2 syntax JavaScript lacks: the server's check is the only one.
  }
}

/** The server's message for a value of `param`, or undefined when it is fine. */
export function checkArgument(fn: string, param: FunctionParameter, value: string): string | undefined {
  const p = param.ParameterName;
  if (value === "") return param.Required ? `missing required parameter ${p} for function ${fn}` : undefined;
  if (param.DataType === "int") {
    if (!/^[+-]?[0-9]+$/.test(value))
      return `cannot convert argument ${p} value ${value} to int: "${value}" is not a whole number (digits with an optional sign, e.g. 3)`;
    const n = Number(value);
    if ((param.Min !== undefined && n < param.Min) || (param.Max !== undefined && n > param.Max)) {
      const range =
        param.Min !== undefined && param.Max !== undefined
          ? `must be from ${param.Min} to ${param.Max}`
          : param.Min !== undefined
            ? `must be at least ${param.Min}`
            : `must be at most ${param.Max}`;
      return `argument ${p} value ${n} is out of range: ${range}`;
    }
    return undefined;
  }
  if (param.DataType === "bool") {
    return ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].includes(value)
      ? undefined
      : `cannot convert argument ${p} value ${value} to bool: "${value}" is not a boolean (use true or false)`;
  }
  if (param.Regexp) {
    const pattern = parameterPattern(param.Regexp);
    if (pattern && !pattern.test(value))
      return `value ${value} for argument ${p} does not match the pattern ${param.Regexp}`;
  } else if (param.EnumValues?.length && !param.EnumValues.includes(value)) {
    return `value ${value} for argument ${p} is not one of: ${param.EnumValues.join(", ")}`;
  }
  return undefined;
}

interface Field {
  readonly param: FunctionParameter;
  readonly input: HTMLInputElement | HTMLSelectElement;
  readonly error: HTMLElement;
}

export function functionForm(signature: FunctionSignature, onRemove: () => void): FunctionForm {
  const id = `fn-${++counter}`;
  const fields: Field[] = [];
  const params = signature.Parameters ?? [];
  const list = h("div", { class: "params" });
  const addField = (param: FunctionParameter, repeat = 0) => {
    const inputId = `${id}-${param.ParameterName}-${repeat}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (param.DataType === "bool") {
      input = h(
        "select",
        { id: inputId },
        param.Required ? null : h("option", { value: "" }, "(unset)"),
        h("option", { value: "true" }, "true"),
        h("option", { value: "false" }, "false"),
      );
    } else if (param.EnumValues?.length && !param.Regexp) {
      input = h(
        "select",
        { id: inputId },
        param.Required ? null : h("option", { value: "" }, "(unset)"),
        param.EnumValues.map((v) => h("option", { value: v }, v)),
      );
    } else {
      input = h("input", {
        id: inputId,
        type: "text",
        inputmode: param.DataType === "int" ? "numeric" : undefined,
        placeholder: param.Example ?? "",
        spellcheck: "false",
        autocomplete: "off",
      });
    }
    const error = h("div", { class: "field-error", id: `${inputId}-error`, "aria-live": "polite" });
    input.setAttribute("aria-describedby", `${inputId}-error ${inputId}-help`);
    input.setAttribute("data-param", param.ParameterName);
    const field: Field = { param, input, error };
    input.addEventListener("change", () => check(field));
    input.addEventListener("input", () => check(field));
    fields.push(field);
    const facts = [
      param.DataType,
      param.Required ? "required" : "optional",
      param.Min !== undefined ? `min ${param.Min}` : "",
      param.Max !== undefined ? `max ${param.Max}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    list.appendChild(
      h(
        "div",
        { class: "field" },
        h(
          "label",
          { for: inputId },
          param.ParameterName,
          param.Required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null,
          h("span", { class: "muted" }, ` (${facts})`),
        ),
        input,
        h(
          "div",
          { class: "help muted", id: `${inputId}-help` },
          [param.Description, param.Example && `Example: ${param.Example}`]
            .filter(Boolean)
            .map((text) => (/[.!?]$/.test(text!) ? text : `${text}.`))
            .join(" "),
        ),
        error,
      ),
    );
  };
  const check = (field: Field): boolean => {
    const problem = checkArgument(signature.FunctionName, field.param, field.input.value.trim());
    field.input.setAttribute("aria-invalid", problem ? "true" : "false");
    replace(field.error, problem ? h("p", { class: "error" }, problem) : null);
    return !problem;
  };
  params.forEach((param) => addField(param));
  const last = params[params.length - 1];
  let repeats = 0;
  const more =
    signature.VarArgs && last
      ? h(
          "button",
          { type: "button", onclick: () => addField({ ...last, Required: false }, ++repeats) },
          `Add another ${last.ParameterName}`,
        )
      : null;
  const element = h(
    "fieldset",
    { class: "card function" },
    h("legend", {}, signature.FunctionName),
    h(
      "p",
      { class: "muted" },
      signature.Description ?? "",
      signature.Mutating ? " · mutating" : "",
      signature.Validating ? " · validating" : "",
    ),
    params.length ? list : h("p", { class: "muted" }, "No parameters."),
    h(
      "div",
      { class: "row" },
      more,
      h("button", { type: "button", onclick: onRemove }, `Remove ${signature.FunctionName}`),
    ),
  );
  return {
    element,
    signature,
    arguments() {
      const ok = fields.map(check).every(Boolean);
      if (!ok) {
        fields.find((f) => f.input.getAttribute("aria-invalid") === "true")?.input.focus();
        return undefined;
      }
      // VarArgs repeats are positional after the named ones, as ConfigHub sends them.
      const out: Argument[] = [];
      fields.forEach((f, i) => {
        const value = f.input.value.trim();
        if (value === "") return;
        out.push(
          i < params.length ? { ParameterName: f.param.ParameterName, Value: value } : { Value: value },
        );
      });
      return out;
    },
  };
}
