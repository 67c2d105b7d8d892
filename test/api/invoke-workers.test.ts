// Functions that run on a bridge worker, through the API: the request's BridgeWorkerID, saved
// Invocations and Triggers that name a worker, and what a user sees when the worker fails one
// Unit, times out, is disconnected or busy, answers garbage, or does not exist. The worker is a
// FakeWorker (test/support/fake-worker.ts) behind the app's `workerExecutor` option.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { FakeWorker } from "../support/fake-worker.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  deployment,
  expectInvokeContract,
  getUnit,
  invoke,
  output,
  writeCounts,
  type ResponseElement,
} from "./invoke-support.ts";

describe.each(testDatabases())("functions on a bridge worker on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let worker: FakeWorker;
  /** The executor's limit on operations in flight per worker (undefined: none). */
  let outstandingLimit: number | undefined;
  /** The worker's row is gone (deleted): the executor finds no such worker. */
  let deleted = false;
  const workerId = randomUUID();
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  beforeAll(async () => {
    database = await target.open();
    let executor: FakeWorker | undefined;
    // The organization is created by buildTestApp; the worker is bound to it right after.
    const proxy = {
      // Like the server's worker connections, the lookup reads the database with its own handle.
      registeredWorker: async (org: string, id: string) => {
        await database.db.selectFrom("organizations").select("organization_id").limit(1).execute();
        return deleted ? null : executor!.registeredWorker(org, id);
      },
      invoke: (...args: Parameters<FakeWorker["invoke"]>) => executor!.invoke(...args),
      get outstandingLimit() {
        return outstandingLimit;
      },
    };
    t = await buildTestApp(database, { workerExecutor: proxy });
    worker = executor = new FakeWorker(t.org.organizationId, workerId);
    return () => t.close();
  });

  /** A Space with `count` Deployments, and a fresh worker state. */
  async function setup(count = 2) {
    worker.requests.length = 0;
    worker.misbehave.clear();
    worker.maxInFlight = 0;
    outstandingLimit = undefined;
    const slug = unique("workers");
    const space = await createSpace(t, slug);
    const units = [];
    for (let i = 0; i < count; i++)
      units.push(await createUnit(t, space, `web-${i}`, deployment(`web-${i}`)));
    return { slug, space, units };
  }

  async function elements(response: { statusCode: number; body: string; json(): unknown }, status: number) {
    expect(response.statusCode, response.body).toBe(status);
    const parsed = response.json();
    expectInvokeContract(parsed);
    return parsed as ResponseElement[];
  }

  const onWorker = (body: Record<string, unknown>) => ({ BridgeWorkerID: workerId, ...body });

  it("a dry run goes to the worker per Unit and writes nothing; a real run writes one Revision per Unit", async () => {
    const { space, units } = await setup(2);
    const before = await writeCounts(database, t.org.organizationId);
    const dry = await elements(
      await invoke(t, {
        spaceId: space,
        query: { dry_run: "true" },
        body: onWorker({ FunctionInvocations: [call("set-label", "team", "payments")] }),
      }),
      200,
    );
    expect(dry.map((e) => e.UnitSlug).sort()).toEqual(["web-0", "web-1"]);
    for (const element of dry) {
      expect(dataOf(element)).toContain("team: payments");
      expect(element.Mutators).toEqual([0]);
      expect(element.Mutations.length).toBeGreaterThan(0);
    }
    // The worker saw each Unit's context and data, and the request's options.
    expect(worker.requests.map((r) => r.UnitSlug).sort()).toEqual(["web-0", "web-1"]);
    const [first] = worker.requests;
    expect(first).toMatchObject({
      SpaceID: space,
      NumFilters: 0,
      StopOnError: false,
      CastStringArgsToScalars: true,
    });
    expect(first!.FunctionInvocations).toEqual([call("set-label", "team", "payments")]);
    expect(await writeCounts(database, t.org.organizationId)).toEqual(before);

    const real = await elements(
      await invoke(t, {
        spaceId: space,
        body: onWorker({ FunctionInvocations: [call("set-label", "team", "payments")] }),
      }),
      200,
    );
    expect(real.every((e) => e.Success)).toBe(true);
    const after = await writeCounts(database, t.org.organizationId);
    expect(after.revisions - before.revisions).toBe(2);
    expect(after.mutations - before.mutations).toBe(2);
    const unit = await getUnit(t, space, units[0]!.UnitID);
    expect(unit.data).toContain("team: payments");
    expect(unit.HeadRevisionNum).toBe(units[0]!.HeadRevisionNum + 1);
    const mutations = await t.request({
      method: "GET",
      url: `/api/space/${space}/unit/${units[0]!.UnitID}/mutation`,
    });
    expect(mutations.statusCode, mutations.body).toBe(200);
    const latest = (mutations.json() as { Mutation: { FunctionInvocations: unknown } }[]).at(-1)!;
    expect(latest.Mutation.FunctionInvocations).toEqual([
      { FunctionName: "set-label", Arguments: [{ Value: "team" }, { Value: "payments" }] },
    ]);
  });

  it("many Units are in flight to the worker at once, more than built-ins run, and answer in the usual order", async () => {
    const { space } = await setup(12);
    const run = async (body: Record<string, unknown>) =>
      (await elements(await invoke(t, { spaceId: space, query: { dry_run: "true" }, body }), 200)).map(
        (e) => e.UnitSlug,
      );
    const viaWorker = await run(onWorker({ FunctionInvocations: [call("set-label", "tier", "web")] }));
    // The same order as a built-in run of the same selection, whatever order the worker answered in.
    expect(viaWorker).toEqual(await run({ FunctionInvocations: [call("set-label", "tier", "web")] }));
    expect(viaWorker).toHaveLength(12);
    // Built-ins run DEFAULT_CONCURRENCY (8) Units at once; Units waiting on a worker overlap more.
    expect(worker.maxInFlight).toBeGreaterThan(8);
    expect(worker.maxInFlight).toBeLessThanOrEqual(12);
  });

  it("one call never sends a worker more Units at once than the worker may have outstanding", async () => {
    const { space } = await setup(6);
    outstandingLimit = 2;
    const body = onWorker({ FunctionInvocations: [call("set-label", "tier", "web")] });
    const done = await elements(await invoke(t, { spaceId: space, query: { dry_run: "true" }, body }), 200);
    // Every Unit ran (none was refused as busy), never more than two at a time.
    expect(done.map((e) => e.Success)).toEqual(Array(6).fill(true));
    expect(worker.maxInFlight).toBe(2);
  });

  it("a Unit the worker fails is a failed element naming the worker and the Unit; the others are written (207)", async () => {
    const { space, units } = await setup(2);
    worker.misbehave.set("web-1", "fail");
    const before = await writeCounts(database, t.org.organizationId);
    const response = await elements(
      await invoke(t, {
        spaceId: space,
        body: onWorker({ FunctionInvocations: [call("set-label", "team", "a")] }),
      }),
      207,
    );
    const ok = response.find((e) => e.UnitSlug === "web-0");
    const failed = response.find((e) => e.UnitSlug === "web-1");
    expect(ok!.Success).toBe(true);
    expect(failed!.Success).toBe(false);
    expect(failed!.Error!.Message).toContain("web-1");
    expect(failed!.Error!.Details.join("\n")).toContain(
      `bridge worker policy (${workerId}): the policy service said no`,
    );
    expect((await writeCounts(database, t.org.organizationId)).revisions - before.revisions).toBe(1);
    expect((await getUnit(t, space, units[1]!.UnitID)).data).not.toContain("team: a");
  });

  it("a Unit whose result does not come in time fails with a timeout; the others finish", async () => {
    const { space } = await setup(2);
    worker.misbehave.set("web-0", "timeout");
    const response = await elements(
      await invoke(t, {
        spaceId: space,
        query: { dry_run: "true" },
        body: onWorker({ FunctionInvocations: [call("set-label", "team", "a")] }),
      }),
      207,
    );
    const late = response.find((e) => e.UnitSlug === "web-0");
    const ok = response.find((e) => e.UnitSlug === "web-1");
    expect(late!.Error).toMatchObject({ Type: "WORKER_TIMEOUT", Status: 504 });
    expect(late!.Error!.Details.join("\n")).toContain("no result within 30s");
    expect(ok!.Success).toBe(true);
  });

  it("a worker that answers configuration data that does not parse fails that element and writes nothing", async () => {
    const { space, units } = await setup(2);
    worker.misbehave.set("web-0", "garbage");
    const before = await writeCounts(database, t.org.organizationId);
    const response = await elements(
      await invoke(t, {
        spaceId: space,
        body: onWorker({ FunctionInvocations: [call("set-label", "team", "b")] }),
      }),
      207,
    );
    const garbage = response.find((e) => e.UnitSlug === "web-0");
    const ok = response.find((e) => e.UnitSlug === "web-1");
    expect(garbage!.Error!.Type).toBe("WORKER_FAILED");
    expect(garbage!.Error!.Details.join("\n")).toMatch(
      /does not parse as Kubernetes\/YAML; nothing was kept/,
    );
    expect(dataOf(garbage!)).toBe(deployment("web-0"));
    expect(ok!.Success).toBe(true);
    expect((await writeCounts(database, t.org.organizationId)).revisions - before.revisions).toBe(1);
    expect((await getUnit(t, space, units[0]!.UnitID)).data).toBe(deployment("web-0"));
  });

  it("a dry run reports the worker's own Mutations, checked: malformed ones or data that does not parse fail that element; a real run recomputes them", async () => {
    const { space, units } = await setup(3);
    worker.misbehave.set("web-0", "bad-mutations");
    worker.misbehave.set("web-1", "garbage");
    const before = await writeCounts(database, t.org.organizationId);
    const body = onWorker({ FunctionInvocations: [call("set-label", "team", "e")] });
    const dry = await elements(await invoke(t, { spaceId: space, query: { dry_run: "true" }, body }), 207);
    const [bad, garbage, ok] = ["web-0", "web-1", "web-2"].map((slug) =>
      dry.find((e) => e.UnitSlug === slug)!,
    );
    expect(bad!.Error!.Type).toBe("WORKER_FAILED");
    expect(bad!.Error!.Details.join("\n")).toMatch(
      /malformed response: Mutations\[0\]\.ResourceMutationInfo\.Index is not the position of a function in the request/,
    );
    expect(dataOf(bad!)).toBe(deployment("web-0"));
    expect(bad!.Mutations).toEqual([]);
    expect(garbage!.Error!.Type).toBe("WORKER_FAILED");
    expect(garbage!.Error!.Details.join("\n")).toMatch(
      /does not parse as Kubernetes\/YAML; nothing was kept/,
    );
    expect(dataOf(garbage!)).toBe(deployment("web-1"));
    expect(ok!.Success).toBe(true);
    expect(dataOf(ok!)).toContain("team: e");
    const added = {
      "metadata.labels": { MutationType: "Add", Index: 0, Predicate: true, Value: "team: e\n" },
    };
    expect(ok!.Mutations[0]!.PathMutationMap).toEqual(added);
    expect(await writeCounts(database, t.org.organizationId)).toEqual(before);

    // Written, the Mutations come from the data (the worker's malformed ones are not used).
    worker.misbehave.delete("web-1");
    const real = await elements(await invoke(t, { spaceId: space, body }), 200);
    expect(real.every((e) => e.Success)).toBe(true);
    const written = real.find((e) => e.UnitSlug === "web-0")!.Mutations[0]!;
    expect(written.ResourceMutationInfo.Index).toBe(0);
    expect(written.PathMutationMap).toEqual(added);
    expect((await getUnit(t, space, units[0]!.UnitID)).data).toContain("team: e");
  });

  it("when no Unit can be dispatched because the worker is disconnected, the call is a 503 and nothing is written", async () => {
    const { space } = await setup(2);
    worker.misbehave.set("*", "disconnected");
    const before = await writeCounts(database, t.org.organizationId);
    const response = await invoke(t, {
      spaceId: space,
      body: onWorker({ FunctionInvocations: [call("set-label", "team", "c")] }),
    });
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json().Message).toBe(
      `bridge worker policy (${workerId}) is disconnected: none of the 2 selected Units got a result from it and nothing ` +
        "was written; start the worker (confn worker run) and call again",
    );
    expect(await writeCounts(database, t.org.organizationId)).toEqual(before);
  });

  it("a busy worker that takes no Unit makes the call a 429 with Retry-After", async () => {
    const { space } = await setup(2);
    worker.misbehave.set("*", "busy");
    const response = await invoke(t, {
      spaceId: space,
      query: { dry_run: "true" },
      body: onWorker({ FunctionInvocations: [call("set-label", "team", "c")] }),
    });
    expect(response.statusCode, response.body).toBe(429);
    expect(response.headers["retry-after"]).toBe("7");
    expect(response.json().Message).toContain("too many operations outstanding");
  });

  it("when the worker refuses only some Units, those are failed elements of a 207 and the others are written", async () => {
    const { space, units } = await setup(2);
    worker.misbehave.set("web-1", "busy");
    const response = await elements(
      await invoke(t, {
        spaceId: space,
        body: onWorker({ FunctionInvocations: [call("set-label", "team", "d")] }),
      }),
      207,
    );
    const busy = response.find((e) => e.UnitSlug === "web-1");
    expect(busy!.Error).toMatchObject({ Type: "WORKER_BUSY", Status: 429 });
    expect((await getUnit(t, space, units[0]!.UnitID)).data).toContain("team: d");
    expect((await getUnit(t, space, units[1]!.UnitID)).data).not.toContain("team: d");
  });

  it("a worker that is not the caller's is a 404; bad arguments and unknown functions are 400s before anything runs", async () => {
    const { space } = await setup(1);
    const body = { FunctionInvocations: [call("set-label", "team", "c")] };
    const other = await invoke(t, { spaceId: space, body: { ...body, BridgeWorkerID: randomUUID() } });
    expect(other.statusCode, other.body).toBe(404);
    expect(other.json().Message).toMatch(/^BridgeWorker [0-9a-f-]{36} not found$/);
    const otherOrg = await invoke(t, {
      spaceId: space,
      token: t.otherOrg.tokens.admin,
      body: onWorker(body),
    });
    expect(otherOrg.statusCode, otherOrg.body).toBe(404);

    const typo = await invoke(t, {
      spaceId: space,
      body: onWorker({ FunctionInvocations: [call("set-lable", "a", "b")] }),
    });
    expect(typo.statusCode, typo.body).toBe(400);
    expect(typo.json().Message).toBe(
      `body/FunctionInvocations/0: function set-lable does not exist for toolchain Kubernetes/YAML on bridge worker policy (${workerId}) (did you mean set-label?)`,
    );
    // A built-in the worker does not offer is not silently run here.
    const builtinOnly = await invoke(t, {
      spaceId: space,
      body: onWorker({ FunctionInvocations: [call("set-replicas", 3)] }),
    });
    expect(builtinOnly.statusCode, builtinOnly.body).toBe(400);
    const missing = await invoke(t, {
      spaceId: space,
      body: onWorker({ FunctionInvocations: [call("set-label", "a")] }),
    });
    expect(missing.statusCode, missing.body).toBe(400);
    expect(missing.json().Message).toMatch(
      /^body\/FunctionInvocations\/0 \(set-label\): insufficient arguments/,
    );
    expect(worker.requests).toEqual([]);
  });

  it("a saved Invocation that names the worker runs there", async () => {
    const { space, units } = await setup(1);
    const created = await t.request({
      method: "POST",
      url: `/api/space/${space}/invocation`,
      body: {
        Slug: "label-on-worker",
        ToolchainType: "Kubernetes/YAML",
        BridgeWorkerID: workerId,
        ...call("set-label", "owner", "sre"),
      },
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().BridgeWorkerID).toBe(workerId);
    const [element] = await elements(
      await invoke(t, { spaceId: space, body: { Invocations: [created.json().InvocationID] } }),
      200,
    );
    expect(dataOf(element!)).toContain("owner: sre");
    expect(worker.requests.map((r) => r.FunctionInvocations)).toEqual([[call("set-label", "owner", "sre")]]);
    expect((await getUnit(t, space, units[0]!.UnitID)).data).toContain("owner: sre");

    const badArgs = await t.request({
      method: "POST",
      url: `/api/space/${space}/invocation`,
      body: {
        Slug: "bad",
        ToolchainType: "Kubernetes/YAML",
        BridgeWorkerID: workerId,
        ...call("set-lable", "a", "b"),
      },
    });
    expect(badArgs.statusCode, badArgs.body).toBe(400);
    expect(badArgs.json().Message).toContain("(did you mean set-label?)");
    const unknown = await t.request({
      method: "POST",
      url: `/api/space/${space}/invocation`,
      body: {
        Slug: "nowhere",
        ToolchainType: "Kubernetes/YAML",
        BridgeWorkerID: randomUUID(),
        ...call("set-label", "a", "b"),
      },
    });
    expect(unknown.statusCode, unknown.body).toBe(404);
  });

  it("a Trigger on the worker's validating function sets and clears its ApplyGate like a built-in one", async () => {
    const { slug, space, units } = await setup(1);
    const created = await t.request({
      method: "POST",
      url: `/api/space/${space}/trigger`,
      body: {
        Slug: "min-replicas",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        BridgeWorkerID: workerId,
        ...call("cel-validate", "r.spec.replicas >= 2"),
      },
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ Validating: true, BridgeWorkerID: workerId });
    const gate = `${slug}/min-replicas/cel-validate`;
    // Updates check the call against the worker's signatures too (before their transaction opens).
    const url = `/api/space/${space}/trigger/${created.json().TriggerID}`;
    const patched = await t.request({
      method: "PATCH",
      url,
      body: { Arguments: [{ Value: "r.spec.replicas >= 2" }], Description: "two or more" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ BridgeWorkerID: workerId, Description: "two or more" });
    const wrong = await t.request({
      method: "PATCH",
      url,
      body: { FunctionName: "cel-validat" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().Message).toContain(
      `on bridge worker policy (${workerId}) (did you mean cel-validate?)`,
    );

    const [failing] = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "team", "core")] } }),
      200,
    );
    expect(output(failing!, "ValidationResultList")).toEqual([
      expect.objectContaining({ Passed: false, Index: 1 }),
    ]);
    expect(worker.requests.map((r) => r.FunctionInvocations![0]!.FunctionName)).toEqual(["cel-validate"]);
    expect((await getUnit(t, space, units[0]!.UnitID)).ApplyGates).toEqual({ [gate]: true });

    await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-replicas", 3)] } }),
      200,
    );
    expect((await getUnit(t, space, units[0]!.UnitID)).ApplyGates).toEqual({});

    // A trigger that cannot run blocks the change, as a failing built-in trigger does: nothing
    // is saved that the Space's triggers could not check (here the only Unit: a 503).
    worker.misbehave.set("*", "disconnected");
    const unreached = await invoke(t, {
      spaceId: space,
      body: { FunctionInvocations: [call("set-replicas", 1)] },
    });
    expect(unreached.statusCode, unreached.body).toBe(503);
    // The call named no worker: the message says which Trigger brought it in.
    expect(unreached.json().Message).toBe(
      `bridge worker policy (${workerId}) (it runs Trigger min-replicas (cel-validate)) is disconnected: ` +
        "the selected Unit got no result from it and nothing was written; start the worker (confn worker run) " +
        "and call again",
    );
    expect((await getUnit(t, space, units[0]!.UnitID)).data).toContain("replicas: 3");

    // A data write runs triggers inside its transaction, where no worker is called: the worker's
    // validating trigger fails closed (its gate is set) and the write itself is saved.
    worker.misbehave.clear();
    worker.requests.length = 0;
    const updated = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${units[0]!.UnitID}`,
      body: { Data: Buffer.from(deployment("web-0", { replicas: 4 })).toString("base64") },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    const after = await getUnit(t, space, units[0]!.UnitID);
    expect(after.data).toContain("replicas: 4");
    expect(after.ApplyGates).toEqual({ [gate]: true });
    expect(worker.requests).toEqual([]);

    // The worker deleted while its Trigger still names it: changes fail closed, saying why and what to do.
    deleted = true;
    try {
      const [orphaned] = await elements(
        await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-replicas", 5)] } }),
        207,
      );
      expect(orphaned!.Success).toBe(false);
      expect(orphaned!.Error?.Details?.join("\n")).toContain(
        `Trigger min-replicas (cel-validate): invoke cel-validate: bridge worker ${workerId} is not available: ` +
          "it was deleted; give the Trigger or Invocation that names it another worker (or none), or delete that",
      );
      expect((await getUnit(t, space, units[0]!.UnitID)).data).toContain("replicas: 4");
    } finally {
      deleted = false;
    }
  });
});

describe.each(testDatabases())("a server without worker dispatch on $name", (target) => {
  it("answers a request naming a worker with a 503 that says so", async () => {
    const t = await buildTestApp(await target.open());
    try {
      const space = await createSpace(t, `no-workers-${randomUUID().slice(0, 8)}`);
      const response = await invoke(t, {
        spaceId: space,
        body: { BridgeWorkerID: randomUUID(), FunctionInvocations: [call("set-label", "a", "b")] },
      });
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json().Message).toMatch(/this server dispatches to no bridge workers/);
    } finally {
      await t.close();
    }
  });
});
