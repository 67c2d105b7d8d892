// The related entities `include` expands (wire/includes.ts names them): each is read once per
// request however many items refer to it (a Space's hundred Units share one Space read), always in
// the caller's organization. A reference that is unset, 0 ("none" in ConfigHub's counters) or names
// nothing the caller can see adds nothing.
import type { Kysely } from "kysely";
import {
  NotFoundError,
  findMutationByNum,
  getBridgeWorker,
  findRevision,
  findRevisionByNum,
  getChangeSet,
  getInvocation,
  getSpace,
  getTrigger,
  getUnit,
  type DatabaseSchema,
  type UnitKey,
} from "../../store/index.ts";
import { toWireBridgeWorker } from "../wire/bridge-worker.ts";
import { toWireChangeSet } from "../wire/change-set.ts";
import { includeTable } from "../wire/includes.ts";
import { toWireInvocation } from "../wire/invocation.ts";
import { toWireMutation } from "../wire/mutation.ts";
import { toWireRevision } from "../wire/revision.ts";
import { toWireSpace } from "../wire/space.ts";
import { toWireTrigger } from "../wire/trigger.ts";
import { toWireUnit } from "../wire/unit.ts";

type Wire = Record<string, unknown>;

/** Reads related entities of one organization for one request, each at most once. */
export class RelatedLoader {
  readonly #cache = new Map<string, Promise<object | undefined>>();

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly organizationId: string,
  ) {}

  space(spaceId: string): Promise<object | undefined> {
    return this.#once(`space:${spaceId}`, async () =>
      toWireSpace(await getSpace(this.db, this.organizationId, spaceId)),
    );
  }

  /** The Space's slug, which Revisions and Mutations carry (SpaceSlug). */
  async spaceSlug(spaceId: string): Promise<string> {
    const space = (await this.space(spaceId)) as { Slug?: string } | undefined;
    return space?.Slug ?? "";
  }

  unit(spaceId: string, unitId: string): Promise<object | undefined> {
    return this.#once(`unit:${unitId}`, async () =>
      toWireUnit(await getUnit(this.db, { organizationId: this.organizationId, spaceId, unitId })),
    );
  }

  changeSet(changeSetId: string): Promise<object | undefined> {
    return this.#once(`change_set:${changeSetId}`, async () =>
      toWireChangeSet(await getChangeSet(this.db, this.organizationId, changeSetId)),
    );
  }

  bridgeWorker(bridgeWorkerId: string): Promise<object | undefined> {
    return this.#once(`bridge_worker:${bridgeWorkerId}`, async () =>
      toWireBridgeWorker(await getBridgeWorker(this.db, this.organizationId, bridgeWorkerId)),
    );
  }

  invocation(invocationId: string): Promise<object | undefined> {
    return this.#once(`invocation:${invocationId}`, async () =>
      toWireInvocation(await getInvocation(this.db, this.organizationId, invocationId)),
    );
  }

  trigger(triggerId: string): Promise<object | undefined> {
    return this.#once(`trigger:${triggerId}`, async () =>
      toWireTrigger(await getTrigger(this.db, this.organizationId, triggerId)),
    );
  }

  revision(revisionId: string): Promise<object | undefined> {
    return this.#once(`revision:${revisionId}`, async () => {
      const row = await findRevision(this.db, this.organizationId, revisionId);
      return row && toWireRevision(row, await this.spaceSlug(row.space_id));
    });
  }

  revisionByNum(spaceId: string, unitId: string, revisionNum: number): Promise<object | undefined> {
    if (revisionNum <= 0) return Promise.resolve(undefined);
    return this.#once(`revision:${unitId}#${revisionNum}`, async () => {
      const row = await findRevisionByNum(this.db, this.#key(spaceId, unitId), revisionNum);
      return row && toWireRevision(row, await this.spaceSlug(spaceId));
    });
  }

  mutationByNum(spaceId: string, unitId: string, mutationNum: number): Promise<object | undefined> {
    if (mutationNum <= 0) return Promise.resolve(undefined);
    return this.#once(`mutation:${unitId}#${mutationNum}`, async () => {
      const row = await findMutationByNum(this.db, this.#key(spaceId, unitId), mutationNum);
      return row && toWireMutation(row, await this.spaceSlug(spaceId));
    });
  }

  #key(spaceId: string, unitId: string): UnitKey {
    return { organizationId: this.organizationId, spaceId, unitId };
  }

  #once(key: string, load: () => Promise<object | undefined>): Promise<object | undefined> {
    let pending = this.#cache.get(key);
    if (pending === undefined) {
      pending = load().catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      this.#cache.set(key, pending);
    }
    return pending;
  }
}

type Expander = (entity: Wire, loader: RelatedLoader) => Promise<object | undefined>;

const id = (entity: Wire, field: string): string | undefined => {
  const value = entity[field];
  return typeof value === "string" && value !== "" ? value : undefined;
};
const num = (entity: Wire, field: string): number => {
  const value = entity[field];
  return typeof value === "number" ? value : 0;
};
const byId =
  (field: string, load: (loader: RelatedLoader, id: string) => Promise<object | undefined>): Expander =>
  async (entity, loader) => {
    const value = id(entity, field);
    return value === undefined ? undefined : load(loader, value);
  };
const space = (field: string) => byId(field, (loader, value) => loader.space(value));
const changeSet = byId("ChangeSetID", (loader, value) => loader.changeSet(value));
const bridgeWorker = byId("BridgeWorkerID", (loader, value) => loader.bridgeWorker(value));
const unitOf: Expander = async (entity, loader) =>
  loader.unit(id(entity, "SpaceID") ?? "", id(entity, "UnitID") ?? "");
const revisionNum =
  (field: string): Expander =>
  async (entity, loader) =>
    loader.revisionByNum(id(entity, "SpaceID") ?? "", id(entity, "UnitID") ?? "", num(entity, field));

const expanders: Readonly<Record<string, Readonly<Record<string, Expander>>>> = {
  Space: {},
  Unit: {
    SpaceID: space("SpaceID"),
    ChangeSetID: changeSet,
    HeadRevisionNum: revisionNum("HeadRevisionNum"),
    LiveRevisionNum: revisionNum("LiveRevisionNum"),
    LastAppliedRevisionNum: revisionNum("LastAppliedRevisionNum"),
    PreviousLiveRevisionNum: revisionNum("PreviousLiveRevisionNum"),
    HeadMutationNum: async (entity, loader) =>
      loader.mutationByNum(
        id(entity, "SpaceID") ?? "",
        id(entity, "UnitID") ?? "",
        num(entity, "HeadMutationNum"),
      ),
    UpstreamSpaceID: space("UpstreamSpaceID"),
    UpstreamUnitID: async (entity, loader) => {
      const spaceId = id(entity, "UpstreamSpaceID");
      const unitId = id(entity, "UpstreamUnitID");
      return spaceId && unitId ? loader.unit(spaceId, unitId) : undefined;
    },
    BridgeWorkerID: bridgeWorker,
  },
  Filter: { SpaceID: space("SpaceID"), FromSpaceID: space("FromSpaceID") },
  Invocation: { SpaceID: space("SpaceID"), BridgeWorkerID: bridgeWorker },
  Trigger: { SpaceID: space("SpaceID"), BridgeWorkerID: bridgeWorker },
  ChangeSet: { SpaceID: space("SpaceID") },
  BridgeWorker: { SpaceID: space("SpaceID") },
  Revision: { SpaceID: space("SpaceID"), UnitID: unitOf, ChangeSetID: changeSet },
  Mutation: {
    SpaceID: space("SpaceID"),
    UnitID: unitOf,
    RevisionID: byId("RevisionID", (loader, value) => loader.revision(value)),
    InvocationID: byId("InvocationID", (loader, value) => loader.invocation(value)),
    TriggerID: byId("TriggerID", (loader, value) => loader.trigger(value)),
  },
};

/** The Extended members `includes` adds for one wire entity: `{ Space: {...}, HeadRevision: {...} }`. */
export async function expandRelated(
  entityName: string,
  entity: Wire,
  includes: readonly string[],
  loader: RelatedLoader,
): Promise<Record<string, object>> {
  const table = includeTable(entityName).expanded;
  const out: Record<string, object> = {};
  for (const attribute of includes) {
    const expansion = table[attribute];
    const expand = expanders[entityName]?.[attribute];
    if (expansion === undefined || expand === undefined) {
      throw new TypeError(`expandRelated: ${entityName}.${attribute} has no expander`);
    }
    const related = await expand(entity, loader);
    if (related !== undefined) out[expansion.key] = related;
  }
  return out;
}
