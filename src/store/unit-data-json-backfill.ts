// Fills `units.data_json` for Units written before it existed (migration 0006), so their
// where_data pre-filter narrows too; until then such a Unit merely always passes it. The server
// starts it in the background after migrating: an organization at a time, a batch of Units at a
// time in unit_id order (each Unit visited once per start), and it stops between batches when
// asked. A Unit rewritten meanwhile is left alone (the update is guarded by its DataHash, and the
// write set data_json itself). Units whose values stay unknown (data that does not parse) stay NULL.
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "./schema.ts";
import { unitDataJson } from "./unit-data-json.ts";

const BATCH_SIZE = 100;

export interface Backfill {
  /** Resolves with the number of Units filled once it is done or stopped. */
  readonly done: Promise<number>;
  /** Stops after the batch in hand; resolves when it has. */
  stop(): Promise<number>;
}

export function startUnitDataJsonBackfill(
  db: Kysely<DatabaseSchema>,
  onError: (error: unknown) => void,
): Backfill {
  let stopping = false;
  const done = backfillUnitDataJson(db, () => stopping).catch((error: unknown) => {
    onError(error);
    return 0;
  });
  return {
    done,
    stop() {
      stopping = true;
      return done;
    },
  };
}

/** Fills every organization's Units; `stopped` is checked between batches. */
export async function backfillUnitDataJson(
  db: Kysely<DatabaseSchema>,
  stopped: () => boolean = () => false,
): Promise<number> {
  let filled = 0;
  const organizations = await db.selectFrom("organizations").select("organization_id").execute();
  for (const { organization_id: organizationId } of organizations) {
    let after: string | undefined;
    while (!stopped()) {
      let query = db
        .selectFrom("units")
        .select(["unit_id", "data", "data_hash", "toolchain_type"])
        .where("organization_id", "=", organizationId)
        .where("toolchain_type", "=", "Kubernetes/YAML")
        .where("data_json", "is", null);
      if (after !== undefined) query = query.where("unit_id", ">", after);
      const batch = await query.orderBy("unit_id").limit(BATCH_SIZE).execute();
      for (const unit of batch) {
        const value = unitDataJson(unit.data, unit.toolchain_type);
        if (value === null) continue;
        const updated = await db
          .updateTable("units")
          .set({ data_json: value })
          .where("organization_id", "=", organizationId)
          .where("unit_id", "=", unit.unit_id)
          .where("data_hash", "=", unit.data_hash)
          .where("data_json", "is", null)
          .executeTakeFirst();
        filled += Number(updated.numUpdatedRows);
      }
      if (batch.length < BATCH_SIZE) break;
      after = batch[batch.length - 1]!.unit_id;
    }
  }
  return filled;
}
