// Mutation on the wire (ConfigHub's Mutation / ExtendedMutation) and the row -> wire conversion.
// ConfigHub's Mutation names one FunctionInvocation; confn records the whole list that caused the
// change, so it also sends `FunctionInvocations`, and `Source`/`Description`/`ResourceMutations`
// (extensions: extra fields a ConfigHub client ignores).
import type { MutationRow } from "../../store/index.ts";
import { int64Schema, optionalIds, timestamp, timestampSchema, uuidSchema } from "./common.ts";
import { extendedSchema } from "./extended-schema.ts";

export interface WireMutation {
  MutationID: string;
  MutationNum: number;
  RevisionID: string;
  RevisionNum: number;
  UnitID: string;
  SpaceID: string;
  SpaceSlug: string;
  OrganizationID: string;
  Source: string;
  Description: string;
  FunctionInvocation?: unknown;
  FunctionInvocations: unknown[];
  ResourceMutations: unknown[];
  InvocationID?: string;
  TriggerID?: string;
  LinkID?: string;
  RestoredRevisionNum: number;
  Subgroup: string;
  CreatedAt: string;
  UpdatedAt: string;
  EntityType: "Mutation";
}

export interface WireExtendedMutation {
  Mutation: WireMutation;
}

const functionInvocationSchema = {
  type: "object",
  properties: {
    FunctionName: { type: "string" },
    Arguments: {
      type: "array",
      items: {
        type: "object",
        properties: {
          ParameterName: { type: "string" },
          Value: {},
          Evaluator: { type: "string" },
        },
      },
    },
    WhereResource: { type: "string" },
  },
  additionalProperties: true,
} as const;

export const mutationSchema = {
  $id: "Mutation",
  type: "object",
  description: "The single cause of one Revision.",
  properties: {
    MutationID: uuidSchema,
    MutationNum: { ...int64Schema, description: "1 for the Unit's creation, then +1 per Data change." },
    RevisionID: uuidSchema,
    RevisionNum: int64Schema,
    UnitID: uuidSchema,
    SpaceID: uuidSchema,
    SpaceSlug: { type: "string" },
    OrganizationID: uuidSchema,
    Source: { type: "string", description: "Extension: the operation (CreateUnit, PatchUnit, Invoke, ...)." },
    Description: { type: "string", description: "Extension: the change description." },
    FunctionInvocation: {
      ...functionInvocationSchema,
      description: "The first function invocation, if any.",
    },
    FunctionInvocations: {
      type: "array",
      items: functionInvocationSchema,
      description: "Extension: every function invocation that caused the change, in order.",
    },
    ResourceMutations: {
      type: "array",
      items: { type: "object", additionalProperties: true },
      description: "Extension: the change as a ResourceMutationList.",
    },
    InvocationID: uuidSchema,
    TriggerID: uuidSchema,
    LinkID: uuidSchema,
    RestoredRevisionNum: int64Schema,
    Subgroup: { type: "string" },
    CreatedAt: timestampSchema,
    UpdatedAt: timestampSchema,
    EntityType: { type: "string" },
  },
  required: ["MutationID", "MutationNum", "RevisionID", "RevisionNum", "UnitID", "SpaceID", "OrganizationID"],
} as const;

export const extendedMutationSchema = extendedSchema("Mutation");

export function toWireMutation(mutation: MutationRow, spaceSlug: string): WireMutation {
  const [first] = mutation.function_invocations;
  return {
    MutationID: mutation.mutation_id,
    MutationNum: mutation.mutation_num,
    RevisionID: mutation.revision_id,
    RevisionNum: mutation.revision_num,
    UnitID: mutation.unit_id,
    SpaceID: mutation.space_id,
    SpaceSlug: spaceSlug,
    OrganizationID: mutation.organization_id,
    Source: mutation.source,
    Description: mutation.description,
    ...(first !== undefined ? { FunctionInvocation: first } : {}),
    FunctionInvocations: mutation.function_invocations,
    ResourceMutations: mutation.resource_mutations,
    ...optionalIds({
      InvocationID: mutation.invocation_id,
      TriggerID: mutation.trigger_id,
      LinkID: mutation.link_id,
    }),
    RestoredRevisionNum: mutation.restored_revision_num ?? 0,
    Subgroup: mutation.subgroup,
    CreatedAt: timestamp(mutation.created_at),
    UpdatedAt: timestamp(mutation.created_at),
    EntityType: "Mutation",
  };
}

export function toWireExtendedMutation(mutation: MutationRow, spaceSlug: string): WireExtendedMutation {
  return { Mutation: toWireMutation(mutation, spaceSlug) };
}
