// Trigger on the wire (ConfigHub's Trigger / ExtendedTrigger), its request bodies and the row ->
// wire conversion. `Validating` is read-only: the server derives it from the function's signature.
import type { TriggerRow } from "../../store/index.ts";
import { TOOLCHAIN_TYPES } from "../../engine/index.ts";
import { functionArgumentsSchema } from "./invoke.ts";
import { uuidSchema } from "./common.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { commonReadOnly, commonWritable, toWireSpaceEntity, type WireSpaceEntity } from "./space-entity.ts";
import { extendedSchema } from "./extended-schema.ts";

export interface WireTrigger extends WireSpaceEntity {
  TriggerID: string;
  Description: string;
  Event: string;
  ToolchainType: string;
  FunctionName: string;
  Arguments: { ParameterName?: string; Value: string | number | boolean }[];
  Disabled: boolean;
  Warn: boolean;
  Validating: boolean;
  /** Present when the function runs on a bridge worker. */
  BridgeWorkerID?: string;
  Hash: string;
  EntityType: "Trigger";
}

export interface WireExtendedTrigger {
  Trigger: WireTrigger;
}

const unsupported = (what: string) => ({ description: `Not supported: ${what}.` });

const writable = {
  ...commonWritable,
  Description: {
    type: "string",
    maxLength: 4096,
    description: "What the trigger checks and how to fix failures.",
  },
  Event: {
    type: "string",
    minLength: 1,
    description: "Mutation: runs whenever a Unit's data changes (the only event confn fires).",
  },
  ToolchainType: {
    type: "string",
    minLength: 1,
    description: `Toolchain of the Units it runs on: one of ${TOOLCHAIN_TYPES.join(", ")}.`,
  },
  FunctionName: { type: "string", minLength: 1, description: "The function to run." },
  Arguments: functionArgumentsSchema,
  Disabled: { type: "boolean", description: "A disabled trigger does not run." },
  Warn: {
    type: "boolean",
    description: "A failing validating trigger sets ApplyWarnings instead of ApplyGates.",
  },
  BridgeWorkerID: {
    ...uuidSchema,
    description:
      "The bridge worker that runs the function (a validating one sets its ApplyGate like a built-in; unset, or the nil UUID to clear it: the built-in functions). " +
      "The function and arguments are checked against that worker's signatures; a worker of another organization is a 404.",
  },
  InvocationID: { ...uuidSchema, ...unsupported("name the function with FunctionName; must be unset") },
  WhereUnit: { type: "string", ...unsupported("a trigger runs on every Unit of its Space; must be empty") },
  UnitFilterID: { ...uuidSchema, ...unsupported("a trigger runs on every Unit of its Space; must be unset") },
  WhereResource: { type: "string", ...unsupported("must be empty") },
  OtherDataSource: { type: "string", ...unsupported("must be empty") },
} as const;

export const triggerSchema = {
  $id: "Trigger",
  type: "object",
  description: "A function the Space runs on an event; validating triggers gate apply.",
  properties: {
    TriggerID: uuidSchema,
    ...commonReadOnly,
    ...writable,
    Validating: { type: "boolean", description: "Derived from the function's signature." },
    Hash: { type: "string", description: "SHA-256 of the trigger's specification fields." },
  },
  required: ["TriggerID", "SpaceID", "OrganizationID", "Slug", "Event", "ToolchainType", "Version"],
} as const;

export const extendedTriggerSchema = extendedSchema("Trigger");

const required = ["Slug", "Event", "ToolchainType", "FunctionName"];
export const createTriggerBodySchema = createBodySchema(triggerSchema, writable, required);
export const patchTriggerBodySchema = patchBodySchema(triggerSchema, writable, required);

export function toWireTrigger(trigger: TriggerRow): WireTrigger {
  return {
    TriggerID: trigger.trigger_id,
    ...toWireSpaceEntity(trigger),
    Description: trigger.description,
    Event: trigger.event,
    ToolchainType: trigger.toolchain_type,
    FunctionName: trigger.function_name,
    Arguments: trigger.arguments,
    Disabled: trigger.disabled,
    Warn: trigger.warn,
    Validating: trigger.validating,
    ...(trigger.bridge_worker_id !== null ? { BridgeWorkerID: trigger.bridge_worker_id } : {}),
    Hash: trigger.hash,
    EntityType: "Trigger",
  };
}

export function toWireExtendedTrigger(trigger: TriggerRow): WireExtendedTrigger {
  return { Trigger: toWireTrigger(trigger) };
}
