// Remembers validated arguments per invocation object. The server and the benchmarks run the same
// invocation list over many Units, and validation (regexps included) gives the same result for the same
// function, arguments and casting, so it is done once. A hit requires the very same argument values, so
// an invocation object edited between calls is validated again.
import type { RegisteredFunction } from "../registry.ts";
import type { FunctionArgument, FunctionInvocation } from "../types.ts";
import { FunctionArguments } from "./function-arguments.ts";
import { validateArguments } from "./validate-arguments.ts";

interface CacheEntry {
  fn: RegisteredFunction;
  cast: boolean;
  given: { name: string | undefined; value: unknown }[];
  args: FunctionArguments;
}

const cache = new WeakMap<FunctionInvocation, CacheEntry>();

/** Validated arguments of `invocation` for `fn`; throws ArgumentError like validateArguments. */
export function validatedArguments(
  fn: RegisteredFunction,
  invocation: FunctionInvocation,
  cast: boolean,
): FunctionArguments {
  const given = invocation.Arguments ?? [];
  const hit = cache.get(invocation);
  if (hit && hit.fn === fn && hit.cast === cast && sameArguments(hit.given, given)) return hit.args;
  const validated = validateArguments(fn, given, { cast });
  const args = new FunctionArguments(fn.signature.FunctionName, validated.entries);
  cache.set(invocation, {
    fn,
    cast,
    given: given.map((a) => ({ name: a.ParameterName, value: a.Value })),
    args,
  });
  return args;
}

function sameArguments(remembered: CacheEntry["given"], given: readonly FunctionArgument[]): boolean {
  return (
    remembered.length === given.length &&
    remembered.every((r, i) => r.name === given[i]!.ParameterName && Object.is(r.value, given[i]!.Value))
  );
}
