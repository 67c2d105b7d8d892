// The wire schema of each listed entity by name, for the parameters every list shares: `select`
// checks field names against it and keeps its required fields.
import { bridgeWorkerSchema } from "./bridge-worker.ts";
import { changeSetSchema } from "./change-set.ts";
import { filterSchema } from "./filter.ts";
import { invocationSchema } from "./invocation.ts";
import { mutationSchema } from "./mutation.ts";
import { revisionSchema } from "./revision.ts";
import { spaceSchema } from "./space.ts";
import { triggerSchema } from "./trigger.ts";
import { unitSchema } from "./unit.ts";

export interface EntitySchema {
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

export const entitySchemas: Readonly<Record<string, EntitySchema>> = {
  Space: spaceSchema,
  Unit: unitSchema,
  Filter: filterSchema,
  Invocation: invocationSchema,
  Trigger: triggerSchema,
  ChangeSet: changeSetSchema,
  BridgeWorker: bridgeWorkerSchema,
  Revision: revisionSchema,
  Mutation: mutationSchema,
};

export function entitySchema(entity: string): EntitySchema {
  const schema = entitySchemas[entity];
  if (!schema) throw new TypeError(`entitySchema: no wire schema for ${entity}`);
  return schema;
}
