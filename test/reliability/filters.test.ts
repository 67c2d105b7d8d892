// Issue 11, kept proven: fuzzed `where` and `where_data` strings against the API never get a 5xx,
// and adversarial filters (thousands of LIKE `%` against large values, NUL characters) neither
// fail nor block the event loop beyond 250 ms. Both run on every database and print their figures.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { fastestLoopDelay, measureEventLoop, printFigures } from "./support/event-loop.ts";
import { whereDataExpressions, whereExpressions } from "./support/filter-inputs.ts";

const WHERE_RUNS = 10_000;
const WHERE_DATA_RUNS = 5_000;
const LOOP_BUDGET_MS = 250;

const deployment = (name: string, image: string) =>
  [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  replicas: 2",
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: main",
    `        image: ${image}`,
    "",
  ].join("\n");

const blob = (bytes: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  blob: ${"a".repeat(bytes)}\n`;

/** A tally of response statuses, e.g. {200: 812, 400: 9188}. */
function tally(statuses: readonly number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe.each(testDatabases())("filters under fuzz and attack on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let spaceId: string;
  let bigSpaceId: string;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    const space = async (Slug: string) =>
      (await t.request({ method: "POST", url: "/api/space", body: { Slug } })).json().SpaceID as string;
    const unit = async (space: string, Slug: string, data: string, extra: object = {}) => {
      const response = await t.request({
        method: "POST",
        url: `/api/space/${space}/unit`,
        body: { Slug, ToolchainType: "Kubernetes/YAML", Data: b64(data), ...extra },
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    spaceId = await space("fuzz");
    await unit(spaceId, "web", deployment("web", "nginx:1.25"), { Labels: { tier: "backend" } });
    await unit(spaceId, "api", deployment("api", "api:2"), { DisplayName: "a".repeat(1024) });
    bigSpaceId = await space("big");
    await unit(bigSpaceId, "blob-256k", blob(256 * 1024));
    await unit(bigSpaceId, "blob-1m", blob(1024 * 1024));
    return () => t.close();
  });

  const invokeUrl = (space: string, query: Record<string, string>) =>
    `/api/space/${space}/function/invoke?${new URLSearchParams({ dry_run: "true", ...query })}`;
  const getReplicas = { FunctionInvocations: [{ FunctionName: "get-replicas", Arguments: [] }] };

  interface Probe {
    readonly label: string;
    readonly send: () => ReturnType<TestApp["request"]>;
  }

  /**
   * Sends every probe (four at a time), counting statuses and 5xx. The whole run's event-loop delay is
   * printed; any request that took longer than the budget is then timed alone (fastest of three) to
   * tell a request that blocks from a busy machine.
   */
  async function fuzz(probes: readonly Probe[]) {
    const statuses: number[] = [];
    const failures: string[] = [];
    const slow: Probe[] = [];
    const { delay } = await measureEventLoop(async () => {
      let next = 0;
      const worker = async () => {
        while (next < probes.length) {
          const probe = probes[next++]!;
          const started = performance.now();
          const response = await probe.send();
          if (performance.now() - started >= LOOP_BUDGET_MS) slow.push(probe);
          statuses.push(response.statusCode);
          if (response.statusCode >= 500) failures.push(`${probe.label}: ${response.body}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    });
    let worstAlone = 0;
    const blocking: string[] = [];
    for (const probe of slow) {
      const alone = await fastestLoopDelay(() => probe.send(), LOOP_BUDGET_MS);
      worstAlone = Math.max(worstAlone, alone.delay.maxMs);
      if (alone.delay.maxMs >= LOOP_BUDGET_MS) blocking.push(`${probe.label}: ${alone.delay.maxMs} ms`);
    }
    return { statuses, failures, delay, slow: slow.length, worstAlone, blocking };
  }

  const whereProbe = (expression: string): Probe => ({
    label: `where ${JSON.stringify(expression)}`,
    send: () =>
      t.request({
        method: "GET",
        url: `/api/unit?${new URLSearchParams({ where: expression })}`,
        as: "viewer",
      }),
  });
  const whereDataProbe = (expression: string): Probe => ({
    label: `where_data ${JSON.stringify(expression)}`,
    send: () =>
      t.request({
        method: "POST",
        url: invokeUrl(spaceId, { where_data: expression, resource_type: "apps/v1/Deployment" }),
        body: getReplicas,
        as: "viewer",
      }),
  });

  // where compiles to SQL, so it runs on every database; where_data is evaluated in memory, the
  // same on both, so its fuzz runs once (on PGlite) to keep the suite within minutes.
  const fuzzWhereData = target.name === "PGlite";
  it(`answers ${WHERE_RUNS} fuzzed where${fuzzWhereData ? ` and ${WHERE_DATA_RUNS} fuzzed where_data` : ""} strings without a 5xx`, async () => {
    const seed = Date.now();
    const started = performance.now();
    // Minutes on a quiet machine; the timeout leaves room for a busy one.
    const where = await fuzz(fc.sample(whereExpressions, { numRuns: WHERE_RUNS, seed }).map(whereProbe));
    const whereData = fuzzWhereData
      ? await fuzz(fc.sample(whereDataExpressions, { numRuns: WHERE_DATA_RUNS, seed }).map(whereDataProbe))
      : undefined;
    const figures: Record<string, unknown> = {};
    for (const [name, run] of Object.entries({ where, where_data: whereData })) {
      if (!run) continue;
      figures[`${name}: statuses`] = JSON.stringify(tally(run.statuses));
      figures[`${name}: 5xx responses`] = run.failures.length;
      figures[`${name}: event loop delay over the run, max / p99 (ms)`] =
        `${run.delay.maxMs} / ${run.delay.p99Ms}`;
      figures[`${name}: requests over ${LOOP_BUDGET_MS} ms, timed alone`] =
        `${run.slow}, worst loop delay ${run.worstAlone} ms`;
    }
    figures["duration (s)"] = ((performance.now() - started) / 1000).toFixed(1);
    printFigures(`filter fuzz on ${target.name} (seed ${seed})`, figures);
    for (const run of [where, whereData]) {
      expect(run?.failures.slice(0, 5) ?? []).toEqual([]);
      expect(run?.blocking ?? []).toEqual([]);
    }
  }, 900_000);

  it("serves adversarial filters with the right status, none blocking the event loop over 250 ms", async () => {
    const manyPercents = `${"%a".repeat(2000)}%b`;
    const cases: {
      name: string;
      expected: number;
      /** Held to the event-loop budget (the 1 MiB case is measured and printed only). */
      budgeted: boolean;
      send: () => ReturnType<TestApp["request"]>;
    }[] = [];
    const dryRun = (name: string, query: Record<string, string>, expected = 200, budgeted = true) =>
      cases.push({
        name,
        expected,
        budgeted,
        send: () =>
          t.request({ method: "POST", url: invokeUrl(bigSpaceId, query), body: getReplicas, as: "viewer" }),
      });
    const list = (name: string, query: Record<string, string>, expected = 200) =>
      cases.push({
        name,
        expected,
        budgeted: true,
        send: () =>
          t.request({ method: "GET", url: `/api/unit?${new URLSearchParams(query)}`, as: "viewer" }),
      });
    for (const operator of ["LIKE", "ILIKE", "NOT LIKE"]) {
      dryRun(`where_data ${operator} 2,000 × %a then %b, 256 KiB value`, {
        where: "Slug = 'blob-256k'",
        where_data: `data.blob ${operator} '${manyPercents}'`,
        resource_type: "v1/ConfigMap",
      });
    }
    dryRun(
      "where_data LIKE 2,000 × %a then %b, 1 MiB value (not budgeted: parsing 1 MiB of YAML is most of it)",
      {
        where: "Slug = 'blob-1m'",
        where_data: `data.blob LIKE '${manyPercents}'`,
        resource_type: "v1/ConfigMap",
      },
      200,
      false,
    );
    // The costliest LIKE there is: one 2,000-token segment (a bit-parallel step of 63 words per
    // character, about 150 ms per MiB), against the issue's 256 KiB value.
    dryRun("where_data LIKE one 2,000-token segment of _, 256 KiB value", {
      where: "Slug = 'blob-256k'",
      where_data: `data.blob LIKE '%${"a_".repeat(1000)}b%'`,
      resource_type: "v1/ConfigMap",
    });
    list("where LIKE 2,000 × %a then %b over a 1,024-character DisplayName", {
      where: `DisplayName LIKE '${manyPercents}'`,
    });
    list("where ILIKE 2,000 × %a then %b", { where: `DisplayName ILIKE '${manyPercents}'` });
    list("where NUL in a literal", { where: "Slug = 'a\u0000'" }, 400);
    list("contains NUL", { contains: "\u0000" }, 400);
    dryRun("where_data NUL in a literal", { where_data: "metadata.name = '\u0000'" }, 400);
    const filter = await t.request({
      method: "POST",
      url: `/api/space/${bigSpaceId}/filter`,
      body: { Slug: "many-percents", From: "Unit", WhereData: `data.blob LIKE '${manyPercents}'` },
    });
    expect(filter.statusCode, filter.body).toBe(200);
    dryRun("saved Filter WhereData LIKE 2,000 × %a then %b, 256 KiB value", {
      where: "Slug = 'blob-256k'",
      filter: filter.json().FilterID as string,
      resource_type: "v1/ConfigMap",
    });

    // First use compiles the filter grammars: not what is measured here.
    await t.request({
      method: "POST",
      url: invokeUrl(spaceId, { where_data: "spec.replicas > 1" }),
      body: getReplicas,
    });
    await t.request({ method: "GET", url: `/api/unit?where=${encodeURIComponent("Slug LIKE 'a%'")}` });
    const figures: Record<string, string> = {};
    for (const c of cases) {
      const started = performance.now();
      const { result, delay } = await fastestLoopDelay(() => c.send(), LOOP_BUDGET_MS);
      figures[c.name] =
        `${result.statusCode}, ${(performance.now() - started).toFixed(0)} ms, loop blocked up to ${delay.maxMs} ms`;
      expect(result.statusCode, `${c.name}: ${result.body}`).toBe(c.expected);
      if (c.budgeted) expect(delay.maxMs, c.name).toBeLessThan(LOOP_BUDGET_MS);
    }
    printFigures(`adversarial filters on ${target.name}`, figures);
  });
});
