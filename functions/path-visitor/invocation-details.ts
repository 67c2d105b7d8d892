// The Info of an attribute found through a registered path: the registered getter and setter
// invocations with the path's bindings appended as arguments (spec §1.4 step 3), so a caller can copy
// `Info.SetterInvocations[0]`, add the new value and invoke it (e.g. `set-image` + `container-name: nginx`).
import type { Binding } from "../../src/config/index.ts";
import type { AttributeDetails, FunctionArgument, FunctionInvocation } from "../../src/engine/index.ts";

function withArguments(invocation: FunctionInvocation, bindings: readonly Binding[]): FunctionInvocation {
  const appended: FunctionArgument[] = bindings.map((b) =>
    b.ParameterName === undefined ? { Value: b.Value } : { ParameterName: b.ParameterName, Value: b.Value },
  );
  return { FunctionName: invocation.FunctionName, Arguments: [...(invocation.Arguments ?? []), ...appended] };
}

function copyInvocation(invocation: FunctionInvocation): FunctionInvocation {
  return {
    FunctionName: invocation.FunctionName,
    Arguments: invocation.Arguments ? invocation.Arguments.map((a) => ({ ...a })) : null,
  };
}

/**
 * A fresh copy of `info` (never the registry's own objects) whose getter and setter invocations carry
 * `bindings` after their registered arguments. Without bindings, or without invocations, the copy is
 * unchanged, so `Arguments` stays `null` where the registry has none (as in ConfigHub's output).
 */
export function detailsWithBindings(
  info: AttributeDetails | undefined,
  bindings: readonly Binding[],
): AttributeDetails | undefined {
  if (!info) return undefined;
  const extend = bindings.length > 0 ? (i: FunctionInvocation) => withArguments(i, bindings) : copyInvocation;
  const details: AttributeDetails = {};
  if (info.GetterInvocation) details.GetterInvocation = extend(info.GetterInvocation);
  if (info.SetterInvocations && info.SetterInvocations.length > 0) {
    details.SetterInvocations = info.SetterInvocations.map(extend);
  }
  if (info.GenerationTemplate) details.GenerationTemplate = info.GenerationTemplate;
  if (info.Description) details.Description = info.Description;
  return details;
}
