// Argument validation and casting, spec §3.1 "At invocation". The messages keep ConfigHub's opening
// words (scripts match on them) but explain the problem in plain terms instead of Go's (strconv
// details, `(reqd: true),`, `[0,]`, raw regexps: issue 16). Deliberate differences (design §9,
// docs/deviations.md):
// - a parameter Regexp must match the whole value, not just somewhere in it;
// - out-of-order named arguments are rebuilt per parameter, so interleaved varargs are neither lost
//   nor duplicated;
// - a required parameter that is still missing is reported even when the arguments were in order.
import type { RegisteredFunction } from "../registry.ts";
import { ArgumentError } from "../errors.ts";
import type { ArgumentValue, FunctionArgument, FunctionParameter } from "../types.ts";
import type { ArgumentEntry } from "./function-arguments.ts";
import { parseGoBool, parseGoInt } from "./parse-scalar.ts";

export interface ValidatedArguments {
  /** Cast values in parameter order; a varargs parameter once per value. */
  entries: ArgumentEntry[];
  /** The invocation's arguments as given, with ParameterName filled in and values cast. */
  normalized: FunctionArgument[];
}

export interface ValidateOptions {
  /** CastStringArgsToScalars: accept strings for int and bool parameters. */
  cast: boolean;
}

export function validateArguments(
  fn: RegisteredFunction,
  args: readonly FunctionArgument[],
  options: ValidateOptions,
): ValidatedArguments {
  const signature = fn.signature;
  const name = signature.FunctionName;
  const params = signature.Parameters;
  const last = params.length - 1;
  const fail = (message: string, argument?: string): never => {
    throw new ArgumentError(message, name, argument);
  };

  if (args.length < signature.RequiredParameters) {
    fail(
      `insufficient arguments: got ${args.length}, expected ${signature.RequiredParameters}: ${parameterList(params)}`,
    );
  }
  if (!signature.VarArgs && args.length > params.length) {
    fail(
      params.length === 0
        ? `too many arguments: got ${args.length}, the function takes none`
        : `too many arguments: got ${args.length}, expected at most ${params.length}: ${parameterList(params)}`,
    );
  }

  let mustBeInOrder = false;
  let outOfOrder = false;
  const given = new Set<string>();
  const normalized: FunctionArgument[] = [];

  args.forEach((arg, i) => {
    const positionalIndex = signature.VarArgs ? Math.min(i, last) : i;
    let param: FunctionParameter;
    if (!arg.ParameterName) {
      if (outOfOrder) fail(`mix of out-of-order named and unnamed arguments for function ${name}`);
      param = params[positionalIndex]!;
      if (given.has(param.ParameterName) && !(signature.VarArgs && positionalIndex === last)) {
        fail(
          `argument ${param.ParameterName} is not a varargs parameter of function ${name}`,
          param.ParameterName,
        );
      }
      mustBeInOrder = true;
    } else {
      const paramIndex = params.findIndex((p) => p.ParameterName === arg.ParameterName);
      if (paramIndex < 0) {
        fail(`argument ${arg.ParameterName} is not a valid parameter of function ${name}`, arg.ParameterName);
      }
      param = params[paramIndex]!;
      const isVarArgsTail = signature.VarArgs && paramIndex === last && i >= last;
      if (paramIndex !== i && !isVarArgsTail) outOfOrder = true;
      if (given.has(param.ParameterName) && !(signature.VarArgs && paramIndex === last)) {
        fail(
          signature.VarArgs
            ? `argument ${param.ParameterName} appears multiple times but is not the last argument of function ${name}`
            : `argument ${param.ParameterName} appears multiple times but function ${name} is not varargs`,
          param.ParameterName,
        );
      }
    }
    const value = castArgument(fn, param, arg.Value, options.cast);
    given.add(param.ParameterName);
    normalized.push({ ...arg, ParameterName: param.ParameterName, Value: value });
  });

  if (outOfOrder && mustBeInOrder) {
    fail(`mix of out-of-order named and unnamed arguments for function ${name}`);
  }
  for (const p of params) {
    if (p.Required && !given.has(p.ParameterName)) {
      fail(`missing required parameter ${p.ParameterName} for function ${name}`, p.ParameterName);
    }
  }

  // Parameter order, each parameter's values in the order given.
  const entries: ArgumentEntry[] = [];
  for (const p of params) {
    for (const arg of normalized) {
      if (arg.ParameterName === p.ParameterName) entries.push({ name: p.ParameterName, value: arg.Value });
    }
  }
  return { entries, normalized };
}

/** `replicas (required), dry (optional)`: what the function takes, in order. */
function parameterList(params: readonly FunctionParameter[]): string {
  return params.map((p) => `${p.ParameterName} (${p.Required ? "required" : "optional"})`).join(", ");
}

function castArgument(
  fn: RegisteredFunction,
  param: FunctionParameter,
  value: unknown,
  cast: boolean,
): ArgumentValue {
  const p = param.ParameterName;
  const fname = fn.signature.FunctionName;
  const fail = (message: string): never => {
    throw new ArgumentError(message, fname, p);
  };

  if (typeof value === "string") {
    if (param.DataType === "int") {
      if (!cast) fail(`argument ${p} must be an integer, not the string ${JSON.stringify(value)}`);
      const parsed = parseGoInt(value);
      if (!parsed.ok) return fail(`cannot convert argument ${p} value ${value} to int: ${parsed.detail}`);
      return checkRange(param, parsed.value, fail);
    }
    if (param.DataType === "bool") {
      if (!cast) fail(`argument ${p} must be a boolean, not the string ${JSON.stringify(value)}`);
      const parsed = parseGoBool(value);
      if (!parsed.ok) return fail(`cannot convert argument ${p} value ${value} to bool: ${parsed.detail}`);
      return parsed.value;
    }
    const pattern = fn.parameterPatterns.get(p);
    if (param.Regexp && pattern) {
      // Anchored (design §9): the pattern must match the whole value.
      if (!pattern.matches(value)) fail(patternMismatch(fn, p, value, param.Regexp));
    } else if (param.Regexp) {
      fail(`validation regexp ${param.Regexp} is invalid`);
    } else if (param.EnumValues?.length && !param.EnumValues.includes(value)) {
      fail(`value ${value} for argument ${p} is not one of: ${param.EnumValues.join(", ")}`);
    }
    const problem = fn.definition.argumentChecks?.[p]?.(value);
    if (problem !== undefined) fail(problem);
    return value;
  }
  if (typeof value === "number") {
    if (param.DataType !== "int")
      fail(`argument ${p} must be ${dataTypeText(param.DataType)}, not the number ${value}`);
    if (!Number.isInteger(value)) fail(`argument ${p} must be a whole number, not ${value}`);
    return checkRange(param, value || 0, fail);
  }
  if (typeof value === "boolean") {
    if (param.DataType !== "bool")
      fail(`argument ${p} must be ${dataTypeText(param.DataType)}, not the boolean ${value}`);
    return value;
  }
  return fail(`argument ${p} must be ${dataTypeText(param.DataType)}, not ${valueKind(value)}`);
}

function checkRange(param: FunctionParameter, value: number, fail: (message: string) => never): number {
  const tooLow = param.Min !== undefined && value < param.Min;
  const tooHigh = param.Max !== undefined && value > param.Max;
  if (tooLow || tooHigh) {
    fail(
      `argument ${param.ParameterName} value ${value} is out of range: ${rangeText(param.Min, param.Max)}`,
    );
  }
  return value;
}

/** `must be at least 0`, `must be at most 10`, `must be from 0 to 10`. */
function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `must be from ${min} to ${max}`;
  return min !== undefined ? `must be at least ${min}` : `must be at most ${max}`;
}

/** `a string`, `an integer`, `a boolean`, and the article for other declared types (e.g. `a CEL`). */
function dataTypeText(dataType: string): string {
  if (dataType === "int") return "an integer";
  if (dataType === "bool") return "a boolean";
  if (dataType === "string") return "a string";
  return `a ${dataType} string`;
}

/** How a JSON value the API decoded is called in a message. */
function valueKind(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** A value that does not match its parameter's pattern: the function's words for it, else the pattern. */
function patternMismatch(fn: RegisteredFunction, parameter: string, value: string, regexp: string): string {
  const expected = fn.definition.argumentHints?.[parameter];
  return expected
    ? `value ${value} for argument ${parameter} is not valid: expected ${expected}`
    : `value ${value} for argument ${parameter} does not match the pattern ${regexp}`;
}
