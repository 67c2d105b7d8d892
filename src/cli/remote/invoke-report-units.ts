// A server's invoke response as the report every --output format prints (output/run-report.ts): per
// element its Unit (`space/unit`), the change against the data it had before, the error, the
// validation results named by function, and a warning for each mutating function that changed
// nothing (judged by this installation's signatures: a bridge worker's function gets none). A Unit
// is written — or, in a dry run, would be — when it changed and its functions succeeded.
import type { FunctionInvocation, ValidationResult } from "../../engine/index.ts";
import { DEFAULT_TOOLCHAIN, fromBase64, isToolchainType } from "../../engine/index.ts";
import { localRegistry } from "../local/local-engine.ts";
import { concernsUnit } from "../local/local-unit-report.ts";
import { renderOutput } from "../output/fctl-format.ts";
import type { ReportUnit, ReportValidation } from "../output/run-report.ts";
import { setterWarning } from "../setter-warnings.ts";
import { changed, decodeOutputs, type InvokeElement } from "./invoke-response.ts";

export function invokeReportUnits(
  elements: readonly InvokeElement[],
  previous: ReadonlyMap<InvokeElement, string>,
  invocations: readonly FunctionInvocation[],
  toolchain: string | undefined,
): ReportUnit[] {
  return elements.map((element) => {
    const name = `${element.SpaceSlug}/${element.UnitSlug}`;
    const after = fromBase64(element.ConfigData);
    const outputs = decodeOutputs(element);
    const validations: ReportValidation[] = outputs.flatMap(([type, value]) => {
      const list =
        type === "ValidationResult"
          ? [value as ValidationResult]
          : type === "ValidationResultList"
            ? ((value ?? []) as ValidationResult[])
            : [];
      return list.map((v) => ({
        functionName: functionName(v, invocations),
        index: v.Index,
        passed: v.Passed,
        details: v.Details ?? [],
        failedAttributes: v.FailedAttributes ?? [],
      }));
    });
    const errors = element.Error
      ? [
          [
            element.Error.Message,
            ...(element.Error.Details ?? []).filter((d) => d !== element.Error!.Message),
          ].join(": "),
        ]
      : [];
    const mutators = new Set(element.Mutators ?? []);
    const registry = localRegistry();
    const chain = toolchain !== undefined && isToolchainType(toolchain) ? toolchain : DEFAULT_TOOLCHAIN;
    const warnings = element.Success
      ? invocations.flatMap((invocation, index) => {
          const signature = registry.lookup(chain, invocation.FunctionName)?.signature;
          if (signature?.Mutating !== true || mutators.has(index)) return [];
          if (!concernsUnit(signature.AffectedResourceTypes, after, chain)) return [];
          return [
            setterWarning({ functionName: invocation.FunctionName, index, args: invocation.Arguments }, name),
          ];
        })
      : [];
    return {
      name,
      before: previous.get(element),
      after,
      changed: changed(element),
      filteredOut: false,
      errors,
      validations,
      warnings,
      written: changed(element) && element.Success,
      outputs: outputs
        .filter(([type]) => type !== "ValidationResult" && type !== "ValidationResultList")
        .map(([type, value]) => ({
          type,
          text: renderOutput(type as Parameters<typeof renderOutput>[0], value),
        })),
    };
  });
}

/** ConfigHub's results may name the function; ours give the invocation's index. */
function functionName(result: ValidationResult, invocations: readonly FunctionInvocation[]): string {
  const named = (result as { FunctionName?: unknown }).FunctionName;
  if (typeof named === "string" && named !== "") return named;
  return invocations[result.Index]?.FunctionName ?? `#${result.Index}`;
}
