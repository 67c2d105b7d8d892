// One limit for Unit data, enforced where data enters: the config layer's UNIT_DATA_MAX_BYTES
// (16 MiB) and nesting depth (128). Issue 11: a 45 MiB Unit was accepted (no function could ever
// parse it) and 10,000 levels of nesting ended in "Maximum call stack size exceeded".
import { beforeAll, describe, expect, it } from "vitest";
import { UNIT_DATA_MAX_BYTES, UNIT_DATA_MAX_DEPTH } from "../../src/config/index.ts";
import { buildTestApp, b64, testDatabases, type TestApp } from "../support/databases.ts";
import { createSpace, createUnit } from "./invoke-support.ts";

/** `depth` nested flow sequences: `[[[...]]]`. */
const flowNesting = (depth: number) => `a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
/** `depth` nested block sequences on one line: `- - - x`. */
const blockNesting = (depth: number) => `${"- ".repeat(depth)}x\n`;

describe.each(testDatabases())("Unit data bounds on $name", (target) => {
  let t: TestApp;
  let space: string;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    space = await createSpace(t, "bounds");
    return () => t.close();
  });

  const createRaw = (slug: string, data: string) =>
    t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: slug, ToolchainType: "Kubernetes/YAML", Data: data },
    });
  const unitSlugs = async () =>
    (
      (await t.request({ method: "GET", url: `/api/space/${space}/unit` })).json() as {
        Unit: { Slug: string };
      }[]
    ).map(({ Unit }) => Unit.Slug);

  it("refuses data over the size limit with a 413 that says the limit, on create and update", async () => {
    const tooLarge = b64(`a: ${"x".repeat(UNIT_DATA_MAX_BYTES)}\n`);
    const created = await createRaw("huge", tooLarge);
    expect(created.statusCode).toBe(413);
    expect(created.json()).toEqual({
      Code: "413",
      Message: `body/Data is ${UNIT_DATA_MAX_BYTES + 4} bytes, more than the limit of 16777216 bytes (16 MiB) for a Unit's config data`,
    });
    expect(await unitSlugs()).not.toContain("huge");

    const unit = await createUnit(t, space, "grows", "a: 1\n");
    const patched = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unit.UnitID}`,
      body: { Data: tooLarge },
    });
    expect(patched.statusCode).toBe(413);
    expect(patched.json().Message).toContain("more than the limit of 16777216 bytes");
  });

  it("refuses a body far over the limit before reading it, naming the Unit data limit", async () => {
    const response = await createRaw("far-too-large", "A".repeat(30 * 1024 * 1024));
    expect(response.statusCode).toBe(413);
    expect(response.json().Message).toMatch(
      /^request body is larger than the limit of \d+ bytes \(a Unit's config data may be at most 16777216 bytes/,
    );
  });

  it.each([
    ["flow", flowNesting],
    ["block", blockNesting],
  ])("refuses %s nesting of 10,000 levels with a 422 naming the depth limit", async (style, nest) => {
    const created = await createRaw(`deep-${style}`, b64(nest(10_000)));
    expect(created.statusCode).toBe(422);
    expect(created.json().Message).toMatch(
      new RegExp(
        `^body/Data is not accepted: document 1, line 1, column \\d+: collections nested deeper than ${UNIT_DATA_MAX_DEPTH} levels`,
      ),
    );
    const unit = await createUnit(t, space, `shallow-${style}`, nest(UNIT_DATA_MAX_DEPTH - 1));
    const patched = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unit.UnitID}`,
      body: { Data: b64(nest(UNIT_DATA_MAX_DEPTH + 1)) },
    });
    expect(patched.statusCode).toBe(422);
    expect(patched.json().Message).toContain(`nested deeper than ${UNIT_DATA_MAX_DEPTH} levels`);
    expect(await unitSlugs()).not.toContain(`deep-${style}`);
  });
});
