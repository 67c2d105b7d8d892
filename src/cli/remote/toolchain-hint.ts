// `function do` without --toolchain runs on the Kubernetes/YAML Units only. When that selected
// nothing, this says whether the scope holds Units of other toolchains that --where would have
// selected, and how to reach them, so "nothing selected" is not a riddle in a Space of .tf Units.
// (A where expression joins its conditions with AND alone, so appending one more needs no parentheses.)
// A Unit list takes no where_data: with --where-data the count is of the Units before it, and says so.
import { DEFAULT_TOOLCHAIN, isToolchainType } from "../../engine/index.ts";
import { localRegistry } from "../local/local-engine.ts";
import type { WireWorker } from "./bridge-workers.ts";
import type { ConfnClient } from "./http-client.ts";
import { entitiesOf } from "./slug-resolution.ts";
import type { SelectedSpace } from "./space-selection.ts";

/** The call's functions, to tell whether a toolchain offers them (else the hint would send the user in a circle). */
export interface CalledFunctions {
  /** `set-label` or `require-labels (on worker policy)`, for the message. */
  readonly label: string;
  /** Whether every function of the call exists for `toolchain` (on the worker named, or built in). */
  readonly offeredFor: (toolchain: string) => boolean;
}

/**
 * "no Kubernetes/YAML unit of space tf matched (...); it has 2 OpenTofu/HCL units: pass --toolchain
 * OpenTofu/HCL", or undefined when the scope has none (or they cannot be listed: the hint is a
 * courtesy, never an error of its own). With `called`, a toolchain that lacks the call's functions is
 * not suggested: the hint says they are not offered there instead.
 */
export async function otherToolchainsHint(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  where: string | undefined,
  whereData?: string,
  called?: CalledFunctions,
): Promise<string | undefined> {
  const others = `ToolchainType != '${DEFAULT_TOOLCHAIN}'`;
  let list;
  try {
    list = await client.get<Record<string, Record<string, unknown>>[] | null>(
      space ? `/space/${space.spaceId}/unit` : "/unit",
      "units of other toolchains",
      { where: where === undefined ? others : `${others} AND ${where}`, select: "ToolchainType" },
    );
  } catch {
    return undefined;
  }
  const counts = new Map<string, number>();
  for (const unit of entitiesOf(list, "Unit")) {
    const toolchain = String(unit.ToolchainType);
    counts.set(toolchain, (counts.get(toolchain) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const held = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([toolchain, n]) => `${n} ${toolchain} unit${n === 1 ? "" : "s"}`);
  const scope = space ? `space ${space.label}` : "the organization";
  const which =
    (where === undefined ? "" : " that --where selects") +
    (whereData === undefined ? "" : " (--where-data not checked on them)");
  const offered = [...counts.keys()].filter((toolchain) => called?.offeredFor(toolchain) ?? true).sort();
  const pass =
    offered.length === 0
      ? `but ${called!.label} ${counts.size === 1 ? "is not offered for it" : "is offered for none of them"}`
      : offered.length === 1
        ? `pass --toolchain ${offered[0]}`
        : `pass --toolchain with one of ${offered.join(", ")}`;
  return (
    `no ${DEFAULT_TOOLCHAIN} unit of ${scope} matched (the toolchain without --toolchain); ` +
    `it has ${held.join(" and ")}${which}${offered.length === 0 ? ", " : ": "}${pass}`
  );
}

/**
 * The call's named functions as CalledFunctions: a worker's are looked up in what it registered,
 * built-ins in this installation's library (the server's, unless it runs another version).
 */
export function calledFunctions(names: readonly string[], worker?: WireWorker): CalledFunctions {
  const supported = worker?.ProvidedInfo?.FunctionWorkerInfo?.SupportedFunctions ?? {};
  const offers = (toolchain: string, name: string): boolean =>
    worker
      ? supported[toolchain]?.[name] !== undefined
      : isToolchainType(toolchain) && localRegistry().lookup(toolchain, name) !== undefined;
  const listed = [...new Set(names)].join(", ");
  return {
    label: worker ? `${listed} (on worker ${worker.Slug})` : listed,
    offeredFor: (toolchain) => names.every((name) => offers(toolchain, name)),
  };
}
