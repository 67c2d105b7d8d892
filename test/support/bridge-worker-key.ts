// A bridge worker (slug "policy") in a Space of a new organization, for tests of the worker
// registry that need a worker row but no worker port.
import { createBridgeWorker, createSpace, type Database, type WorkerKey } from "../../src/store/index.ts";
import { createTestOrganization } from "./databases.ts";

export async function newWorkerKey(database: Database, spaceSlug = "workers"): Promise<WorkerKey> {
  const org = await createTestOrganization(database.db);
  const attributes = { displayName: "", labels: {}, annotations: {}, deleteGates: {} };
  const space = await createSpace(database.db, org.organizationId, { slug: spaceSlug, ...attributes });
  const worker = await createBridgeWorker(database.db, org.organizationId, space.space_id, {
    slug: "policy",
    ...attributes,
  });
  return { organizationId: org.organizationId, bridgeWorkerId: worker.bridge_worker_id };
}
