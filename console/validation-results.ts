// What validating functions said about a Unit (the ValidationResult outputs of an invoke) and any
// other function outputs, decoded from their base64 JSON.
import { fromBase64 } from "./api.ts";
import { h } from "./dom.ts";

interface ValidationResult {
  readonly Passed?: boolean;
  readonly Index?: number;
  /** Set on the results of saved Invocations and Triggers. */
  readonly FunctionName?: string;
  readonly Details?: readonly string[];
  readonly FailedAttributes?: readonly unknown[];
}

export function validationResults(outputs: Record<string, string>): HTMLElement | null {
  const items: HTMLElement[] = [];
  for (const [name, data] of Object.entries(outputs)) {
    let value: unknown;
    try {
      value = JSON.parse(fromBase64(data));
    } catch {
      continue;
    }
    if (name.startsWith("ValidationResult")) {
      for (const result of (Array.isArray(value) ? value : [value]) as ValidationResult[]) {
        const extra = [
          ...(result.Details ?? []),
          ...(result.FailedAttributes ?? []).map((a) => JSON.stringify(a)),
        ];
        items.push(
          h(
            "li",
            { class: result.Passed ? "passed" : "failed" },
            h(
              "span",
              { class: `badge ${result.Passed ? "ok" : "failed"}` },
              result.Passed ? "passed" : "failed",
            ),
            ` ${result.FunctionName ?? "validation"}${result.Index !== undefined ? ` #${result.Index}` : ""}`,
            extra.length
              ? h(
                  "ul",
                  {},
                  extra.map((d) => h("li", {}, d)),
                )
              : null,
          ),
        );
      }
    } else {
      const text = JSON.stringify(value, null, 2);
      items.push(
        h(
          "li",
          {},
          h("strong", {}, name),
          h("pre", {}, text.length > 4000 ? `${text.slice(0, 4000)}…` : text),
        ),
      );
    }
  }
  return items.length ? h("ul", { class: "validation" }, items) : null;
}
