// Invocation on the wire (ConfigHub's Invocation / ExtendedInvocation), its request bodies and the
// row -> wire conversion. An Invocation saves one function call for invoke requests to name.
import type { InvocationRow } from "../../store/index.ts";
import { TOOLCHAIN_TYPES } from "../../engine/index.ts";
import { functionArgumentsSchema } from "./invoke.ts";
import { uuidSchema } from "./common.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { commonReadOnly, commonWritable, toWireSpaceEntity, type WireSpaceEntity } from "./space-entity.ts";
import { extendedSchema } from "./extended-schema.ts";

export interface WireInvocation extends WireSpaceEntity {
  InvocationID: string;
  FunctionName: string;
  Arguments: { ParameterName?: string; Value: string | number | boolean }[];
  /** Every call, in order (FunctionName/Arguments repeat the first). */
  FunctionInvocations: { FunctionName: string; Arguments: WireInvocation["Arguments"] }[];
  ToolchainType: string;
  /** Present when the calls run on a bridge worker. */
  BridgeWorkerID?: string;
  Hash: string;
  EntityType: "Invocation";
}

export interface WireExtendedInvocation {
  Invocation: WireInvocation;
}

/** At most this many calls in one Invocation's FunctionInvocations. */
export const MAX_FUNCTION_INVOCATIONS = 100;

const writable = {
  ...commonWritable,
  FunctionName: { type: "string", minLength: 1, description: "The function to call." },
  Arguments: functionArgumentsSchema,
  FunctionInvocations: {
    type: "array",
    minItems: 1,
    maxItems: MAX_FUNCTION_INVOCATIONS,
    items: {
      type: "object",
      properties: {
        FunctionName: { type: "string", minLength: 1 },
        Arguments: functionArgumentsSchema,
      },
      required: ["FunctionName"],
      additionalProperties: false,
    },
    description:
      "Extension: the functions to call, in order (the list shape newer ConfigHub clients send). FunctionName/Arguments " +
      "are the first of them; send either.",
  },
  ToolchainType: {
    type: "string",
    minLength: 1,
    description: `Toolchain of the Units it runs on: one of ${TOOLCHAIN_TYPES.join(", ")}.`,
  },
  BridgeWorkerID: {
    ...uuidSchema,
    description:
      "The bridge worker that runs the function (unset, or the nil UUID to clear it: the built-in functions). " +
      "The function and arguments are checked against that worker's signatures; a worker of another organization is a 404.",
  },
  WhereResource: { type: "string", description: "Not supported: must be empty." },
} as const;

export const invocationSchema = {
  $id: "Invocation",
  type: "object",
  description: "A saved function call; invoke requests run it by ID (Invocations).",
  properties: {
    InvocationID: uuidSchema,
    ...commonReadOnly,
    ...writable,
    Hash: { type: "string", description: "SHA-256 of the function name and arguments." },
  },
  required: [
    "InvocationID",
    "SpaceID",
    "OrganizationID",
    "Slug",
    "FunctionName",
    "FunctionInvocations",
    "ToolchainType",
    "Version",
  ],
} as const;

export const extendedInvocationSchema = extendedSchema("Invocation");

// FunctionName or FunctionInvocations: the route checks that one of them is there.
const required = ["Slug", "ToolchainType"];
export const createInvocationBodySchema = createBodySchema(invocationSchema, writable, required);
export const patchInvocationBodySchema = patchBodySchema(invocationSchema, writable, [
  ...required,
  "FunctionName",
]);

export function toWireInvocation(invocation: InvocationRow): WireInvocation {
  return {
    InvocationID: invocation.invocation_id,
    ...toWireSpaceEntity(invocation),
    FunctionName: invocation.function_name,
    Arguments: invocation.arguments,
    FunctionInvocations: invocation.function_invocations,
    ToolchainType: invocation.toolchain_type,
    ...(invocation.bridge_worker_id !== null ? { BridgeWorkerID: invocation.bridge_worker_id } : {}),
    Hash: invocation.hash,
    EntityType: "Invocation",
  };
}

export function toWireExtendedInvocation(invocation: InvocationRow): WireExtendedInvocation {
  return { Invocation: toWireInvocation(invocation) };
}
