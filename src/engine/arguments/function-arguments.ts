// The validated, cast arguments a function receives. Access is by parameter name, because ConfigHub
// leaves missing optional parameters out with no gap (spec §3.1), so positions are not reliable.
import { FunctionError } from "../errors.ts";
import type { ArgumentValue } from "../types.ts";

export interface ArgumentEntry {
  readonly name: string;
  readonly value: ArgumentValue;
}

export class FunctionArguments {
  readonly functionName: string;
  /** In parameter order; a varargs parameter appears once per value, in the order given. */
  readonly entries: readonly ArgumentEntry[];

  constructor(functionName: string, entries: readonly ArgumentEntry[]) {
    this.functionName = functionName;
    this.entries = Object.freeze(entries.map((e) => Object.freeze({ ...e })));
  }

  get length(): number {
    return this.entries.length;
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  /** The first value given for `name`, or undefined when the (optional) parameter was left out. */
  get(name: string): ArgumentValue | undefined {
    return this.entries.find((e) => e.name === name)?.value;
  }

  /** Every value given for `name`: the way to read a varargs parameter. */
  all(name: string): ArgumentValue[] {
    return this.entries.filter((e) => e.name === name).map((e) => e.value);
  }

  string(name: string): string {
    return this.typed(name, "string", this.required(name));
  }

  int(name: string): number {
    return this.typed(name, "number", this.required(name));
  }

  bool(name: string): boolean {
    return this.typed(name, "boolean", this.required(name));
  }

  optionalString(name: string, fallback: string): string {
    const value = this.get(name);
    return value === undefined ? fallback : this.typed(name, "string", value);
  }

  optionalInt(name: string, fallback: number): number {
    const value = this.get(name);
    return value === undefined ? fallback : this.typed(name, "number", value);
  }

  optionalBool(name: string, fallback: boolean): boolean {
    const value = this.get(name);
    return value === undefined ? fallback : this.typed(name, "boolean", value);
  }

  /** All values of a varargs string parameter. */
  strings(name: string): string[] {
    return this.all(name).map((v) => this.typed(name, "string", v));
  }

  private required(name: string): ArgumentValue {
    const value = this.get(name);
    if (value === undefined) {
      throw new FunctionError(`missing required parameter ${name} for function ${this.functionName}`);
    }
    return value;
  }

  private typed<K extends "string" | "number" | "boolean">(
    name: string,
    kind: K,
    value: ArgumentValue,
  ): K extends "string" ? string : K extends "number" ? number : boolean {
    if (typeof value !== kind) {
      // Validation casts by the signature, so this means the function reads a parameter as a type its
      // own signature does not declare.
      throw new FunctionError(
        `argument ${name} of function ${this.functionName} is a ${typeof value}, not a ${kind}`,
      );
    }
    return value as K extends "string" ? string : K extends "number" ? number : boolean;
  }
}
