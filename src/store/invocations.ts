// Invocations: saved, named function calls (`FunctionName`, `Arguments`, `ToolchainType`) that an
// invoke request runs after its explicit list by naming their IDs in `Invocations`. The repository
// stores them; the caller checks the function and its arguments against the registry first.
import { createHash } from "node:crypto";
import { json } from "./json.ts";
import type { StoredFunctionInvocation } from "./schema.ts";
import {
  spaceEntityRepository,
  type ListSpaceEntitiesOptions,
  type SpaceEntityAttributes,
  type SpaceEntityModification,
} from "./space-entity-repository.ts";

export interface InvocationAttributes extends SpaceEntityAttributes {
  /** The calls, in order: at least one. */
  readonly functionInvocations: readonly StoredFunctionInvocation[];
  readonly toolchainType: string;
  /** The bridge worker that runs the calls; null/absent: the built-in functions. */
  readonly bridgeWorkerId?: string | null;
}

export type ListInvocationsOptions = ListSpaceEntitiesOptions;
export type InvocationModification = SpaceEntityModification<InvocationAttributes>;

/**
 * SHA-256 of the function name and arguments (ConfigHub's read-only `Hash`), over a canonical form:
 * jsonb returns object keys in its own order, so the hash must not depend on key order. A list of
 * one call hashes as that call alone, as before lists existed.
 */
export function invocationHash(calls: readonly StoredFunctionInvocation[]): string {
  const canonical = calls.map((call) => [
    call.FunctionName,
    call.Arguments.map((a) => [a.ParameterName ?? "", a.Value]),
  ]);
  return createHash("sha256")
    .update(JSON.stringify(canonical.length === 1 ? canonical[0] : canonical))
    .digest("hex");
}

function first(calls: readonly StoredFunctionInvocation[]): StoredFunctionInvocation {
  const [call] = calls;
  if (!call) throw new Error("an Invocation calls at least one function");
  return call;
}

const invocations = spaceEntityRepository({
  table: "invocations",
  idColumn: "invocation_id",
  entity: "Invocation",
  columns: (attributes: InvocationAttributes) => ({
    function_name: first(attributes.functionInvocations).FunctionName,
    arguments: json(first(attributes.functionInvocations).Arguments),
    function_invocations: json(attributes.functionInvocations),
    toolchain_type: attributes.toolchainType,
    bridge_worker_id: attributes.bridgeWorkerId ?? null,
    hash: invocationHash(attributes.functionInvocations),
  }),
  // The calls compare by hash: jsonb hands them back with its own key order.
  sameOwnAttributes: (current, next) =>
    current.toolchain_type === next.toolchainType &&
    current.bridge_worker_id === (next.bridgeWorkerId ?? null) &&
    current.hash === invocationHash(next.functionInvocations),
});

export const listInvocations = invocations.list;
/** The Invocation, found in the organization (and the Space, when given), or NotFoundError. */
export const getInvocation = invocations.get;
/**
 * Several Invocations of the organization, in the order of `invocationIds` (a request lists them
 * in the order they should run); NotFoundError names the first one that does not exist.
 */
export const getInvocations = invocations.getMany;
export const createInvocation = invocations.create;
/**
 * Reads the Invocation, lets `plan` decide its new attributes (and validate them), and writes them
 * with one Version bump (none when nothing changed), in one transaction.
 */
export const modifyInvocation = invocations.modify;
export const deleteInvocation = invocations.delete;
