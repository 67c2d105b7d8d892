// where_data in the database (issue 17): the SQL/JSON pre-filter over `units.data_json` against the
// exact in-process check, over generated expressions × generated Units, on every test database.
// The pre-filter must keep every Unit the exact check keeps (so pre-filter + exact == exact), and
// where the translation says it is exact, keep exactly those. Also the pieces around it: the stored
// values (NULL where unknown), and a Unit with unknown values always passing.
import { randomUUID } from "node:crypto";
import { createSpace } from "../../src/store/spaces.ts";
import fc from "fast-check";
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseConfig, type ConfigDocumentSet } from "../../src/config/index.ts";
import { isFilterError } from "../../src/filter/errors.ts";
import {
  evaluateWhereData,
  prepareWhereData,
  whereDataJsonPath,
  type PreparedWhereData,
} from "../../src/filter/where-data/index.ts";
import { json } from "../../src/store/json.ts";
import type { DatabaseSchema } from "../../src/store/schema.ts";
import { unitDataColumns } from "../../src/store/unit-data-columns.ts";
import { unitDataPrefilter } from "../../src/store/unit-data-prefilter.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

const TYPES = ["apps/v1/Deployment", "v1/Service", "v1/ConfigMap"] as const;
const KEYS = [
  "a",
  "b",
  "name",
  "0",
  "1",
  "resources",
  "limits",
  "memory",
  "image",
  "items",
  "a.b",
  "é",
  'q"u\\o',
];
const STRINGS = [
  "x",
  "y",
  "10",
  "true",
  "256Mi",
  "1Gi",
  "a%b",
  "a_b",
  "é",
  "😀",
  "",
  "l1\nl2",
  "X",
  "nginx:1",
];
const NUMBERS = [0, 1, 3, 10, -1, 2.5, 300, 1e21];

// ---------------------------------------------------------------------------- generated Units

const scalar = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.constantFrom(...NUMBERS),
  fc.boolean(),
  fc.constant(null),
);

const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    tie("object"),
    fc.array(fc.oneof(tie("object"), scalar), { maxLength: 3 }),
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4 }),
}));

const resource = fc
  .tuple(
    fc.constantFrom(...TYPES),
    fc.constantFrom("web", "db", ""),
    fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 }),
  )
  .map(([type, name, body]) => {
    const slash = type.lastIndexOf("/");
    return {
      apiVersion: type.slice(0, slash),
      kind: type.slice(slash + 1),
      metadata: name === "" ? {} : { name },
      ...body,
    };
  });

/** YAML the generator does not write: other scalar spellings, anchors, merge keys, flow style. */
const HANDWRITTEN = [
  `apiVersion: v1
kind: Service
metadata: {name: web}
a: 0x0A
b: .inf
name: ~
items:
  - {name: 10, image: x}
  - {name: "10", image: y}
  - name: 1e1
    image: x
`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
base: &base {image: x, name: 3}
items:
  - <<: *base
    name: y
  - *base
resources:
  limits: {memory: 256Mi, cpu: 500m}
  requests: {memory: 300}
`,
  `apiVersion: v1
kind: ConfigMap
metadata: {name: db}
a: "l1\\nl2"
b: 'a%b'
"0": [x, y]
"1": {"0": 3}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other}
a: [1, 2.5, true]
`,
  `apiVersion: v1
kind: Secret
metadata: {name: s}
f: 2.5
g: 3.0
h: null
i: [x, {j: 1}, {j: 2, k: 0}]
"7": seven
k: {"2": two}
l: -0.5
`,
  // Not YAML: stored as NULL (unknown), so it always passes, and the exact check reports it.
  "a: [\n",
  // A NUL from an escape: jsonb cannot hold it, so NULL too.
  `apiVersion: v1\nkind: Service\nmetadata: {name: web}\na: "x\\0y"\n`,
];

const unitTexts = fc.sample(
  fc
    .array(resource, { minLength: 1, maxLength: 3 })
    .map((docs) => docs.map((d) => stringify(d)).join("---\n")),
  { numRuns: 80, seed: 17 },
);

// ---------------------------------------------------------------------------- generated expressions

/** A key as a path writes it: `.` as `~1`, a key with quotes or backslashes in double quotes. */
const keyText = (key: string) =>
  /["\\]/.test(key) ? `"${key.replace(/["\\]/g, (c) => `\\${c}`)}"` : key.replaceAll(".", "~1");
const pathKey = fc.constantFrom(...KEYS.map(keyText));
const segment = fc.oneof(
  { weight: 5, arbitrary: pathKey },
  { weight: 2, arbitrary: fc.constant("*") },
  { weight: 1, arbitrary: fc.constantFrom("?name=web", "?name=10", "?name=x", "*?name") },
);
const path = fc
  .tuple(
    fc.array(segment, { minLength: 1, maxLength: 3 }),
    fc.option(fc.array(pathKey, { minLength: 1, maxLength: 2 }), { freq: 4 }),
    fc.option(fc.constant("#uri"), { freq: 20 }),
  )
  .map(([left, right, accessor]) =>
    [left.join("."), right ? `.|${right.join(".")}` : "", accessor ?? ""].join(""),
  );

const quoted = (s: string) => `'${s}'`;
const comparison = fc.tuple(
  fc.constantFrom("=", "!=", "<", "<=", ">", ">="),
  fc.oneof(
    fc.constantFrom(...STRINGS.filter((s) => !s.includes("\n"))).map(quoted),
    fc.constantFrom("0", "1", "3", "10", "300"),
    fc.constantFrom("true", "false"),
  ),
);
const like = fc.tuple(
  fc.constantFrom("LIKE", "NOT LIKE", "ILIKE", "~~", "!~~"),
  fc.constantFrom("x%", "%1%", "_", "%", "a%b", "a_b", "nginx:%", "l1%", "%é", "__%", "%%x").map(quoted),
);
const membership = fc.tuple(
  fc.constantFrom("IN", "NOT IN"),
  fc.constantFrom("('x', '10')", "('true')", "(1, 3)", "('-1', 'y', 'false')", "('2', 'é')", "('0')"),
);
const regex = fc.tuple(fc.constantFrom("~", "!~"), fc.constantFrom("'^x'", "'1'").map(String));
const randomRelation = fc
  .tuple(path, fc.oneof({ weight: 4, arbitrary: comparison }, like, membership, regex))
  .map(([p, [operator, operand]]) => `${p} ${operator} ${operand}`);

/** Every scalar of the generated Units with its path: relations about values that are there. */
const leaves: { path: (string | number)[]; value: unknown }[] = [];
function collect(value: unknown, path: (string | number)[]): void {
  if (Array.isArray(value)) value.forEach((item, i) => collect(item, [...path, i]));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) collect(item, [...path, key]);
  } else leaves.push({ path, value });
}
for (const text of unitTexts)
  for (const document of parseConfig(text).documents) collect(document.toJS(), []);

/** A leaf's path, a segment now and then widened to `*`, and a test its value (or a near one) meets. */
const groundedRelation = fc
  .tuple(
    fc.constantFrom(...leaves),
    fc.nat(),
    fc.constantFrom("=", "!=", "<", ">=", "IN", "NOT IN", "LIKE", "NOT LIKE"),
    fc.boolean(),
  )
  .map(([{ path, value }, widen, operator, near]) => {
    const segments = path.map((s) => keyText(String(s)));
    if (widen % 3 === 0) segments[widen % segments.length] = "*";
    const text = typeof value === "number" ? String(Math.trunc(value)) : String(value);
    let operand: string;
    if (operator === "IN" || operator === "NOT IN") operand = near ? `('${text}', 'x')` : `('y')`;
    else if (operator === "LIKE" || operator === "NOT LIKE") operand = `'${[...text].slice(0, 1).join("")}%'`;
    else if (typeof value === "string") operand = `'${near ? value : value + "~"}'`;
    else if (typeof value === "number") operand = String(Math.abs(Math.trunc(value)) + (near ? 0 : 1));
    else operand = String(value === true);
    return `${segments.join(".")} ${operator} ${operand}`;
  });

const relation = fc.oneof(
  { weight: 1, arbitrary: randomRelation },
  { weight: 3, arbitrary: groundedRelation },
);
const expression = fc.tuple(
  fc.array(relation, { minLength: 0, maxLength: 2 }).map((relations) => relations.join(" AND ")),
  fc.constantFrom("*", ...TYPES),
);

/** The corners: floats, nulls, split paths with the right part missing, digit keys, `?k=v` on numbers. */
const EDGES: [string, string][] = [
  ["f != 3", "*"],
  ["f < 3", "*"],
  ["f > 2", "*"],
  ["g = 3", "*"],
  ["h != true", "*"],
  ["h != 'x'", "*"],
  ["h != 1", "*"],
  ["h IN ('null', '')", "*"],
  ["i.1.j = 1", "*"],
  ["i.0 = 'x'", "*"],
  ["7 = 'seven'", "*"],
  ["k.2 = 'two'", "*"],
  ["k.|2 != 'x'", "*"],
  ["k.|3 != 'x'", "*"],
  ["k.|3 = 'x'", "*"],
  ["i.*.|j != 2", "*"],
  ["i.*.|k NOT IN ('0')", "*"],
  ["i.?j=1.j = 1", "*"],
  ["items.?name=10.image = 'x'", "*"],
  ["items.?name=10.image = 'y'", "*"],
  ["items.?name=1e1.image = 'x'", "*"],
  ["a = 10", "*"],
  ["b > 1", "*"],
  ["b != 1", "*"],
  ["name != 'x'", "*"],
  ["f IN ('2')", "*"],
  ["f NOT IN ('2')", "*"],
  ["l IN ('0')", "*"],
  ["l NOT IN ('0')", "*"],
  ["g IN ('3')", "*"],
  ["resources.requests.memory > 200", "*"],
  ["metadata.name LIKE 'w%'", "v1/Service"],
  ["a LIKE 'l1%'", "*"],
  ["a LIKE 'l1_l2'", "*"],
  ["a NOT LIKE 'l1%'", "*"],
  ["b LIKE 'a%b'", "*"],
  ["items.*.name IN (3)", "*"],
  ["items.1.name = 'y'", "apps/v1/Deployment"],
  ["0.1 = 'y'", "*"],
  ["1.0 = 3", "*"],
  ["", "v1/ConfigMap"],
  ["", "*"],
];

/** The generated expressions that prepare (a type error such as `LIKE 3` is a 400, not a case). */
const cases = [...EDGES, ...fc.sample(expression, { numRuns: 700, seed: 17 })]
  .flatMap(([source, resourceType]) => {
    try {
      return [{ prepared: prepareWhereData(source), resourceType }];
    } catch (error) {
      if (isFilterError(error)) return [];
      throw error;
    }
  })
  .slice(0, 450);

// ---------------------------------------------------------------------------- the exact check

type Verdict = "match" | "no" | "error";

function exactVerdict(
  documents: ConfigDocumentSet | undefined,
  prepared: PreparedWhereData,
  type: string,
): Verdict {
  if (documents === undefined) return "error";
  try {
    return evaluateWhereData(prepared, documents, { resourceType: type }).matched ? "match" : "no";
  } catch (error) {
    if (isFilterError(error)) return "error";
    throw error;
  }
}

function parsed(text: string): ConfigDocumentSet | undefined {
  try {
    return parseConfig(text, { toolchain: "Kubernetes/YAML" });
  } catch {
    return undefined;
  }
}

describe("the where_data pre-filter's translation", () => {
  it("generates enough expressions of every kind", () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const translated = cases.map((c) => whereDataJsonPath(c.prepared, c.resourceType));
    expect(translated.filter((t) => t?.exact).length).toBeGreaterThan(100);
    expect(translated.filter((t) => t !== undefined && !t.exact).length).toBeGreaterThan(30);
  });

  it("passes user text only as escaped keys and patterns, and values as variables", () => {
    const prepared = prepareWhereData(`metadata.labels."a\\"b" = 'x'' OR 1=1' AND b LIKE '"%\\'`);
    const translated = whereDataJsonPath(prepared, "*")!;
    expect(translated.path).toContain(`@."a\\u{22}b"`);
    expect(translated.path).not.toContain("OR 1=1");
    expect(Object.values(translated.vars)).toContain("x' OR 1=1");
    expect(translated.path).toContain(`like_regex "^\\u{5c}\\u{22}.*\\u{5c}\\u{5c}$"`);
  });

  it("leaves to the exact check what the database cannot decide as it does", () => {
    for (const source of [
      "image ~ 'x'",
      "image ILIKE 'x%'",
      "image#uri = 'x'",
      "spec.containers.*.resources.limits.memory > '256Mi'",
    ]) {
      expect(whereDataJsonPath(prepareWhereData(source), "*"), source).toBeUndefined();
    }
  });
});

describe.each(testDatabases())("the where_data pre-filter on $name", (target) => {
  let db: Kysely<DatabaseSchema>;
  let organizationId: string;
  const units: { unitId: string; text: string; documents: ConfigDocumentSet | undefined; stored: boolean }[] =
    [];

  beforeAll(async () => {
    db = (await target.open()).db;
    organizationId = (await createTestOrganization(db, "prefilter")).organizationId;
    const attributes = {
      slug: "prefilter",
      displayName: "prefilter",
      labels: {},
      annotations: {},
      deleteGates: {},
    };
    const spaceId = (await createSpace(db, organizationId, attributes)).space_id;
    const texts = [...unitTexts, ...HANDWRITTEN];
    const rows = texts.map((text, i) => {
      const columns = unitDataColumns(text, "Kubernetes/YAML");
      units.push({ unitId: randomUUID(), text, documents: parsed(text), stored: columns.data_json !== null });
      return {
        unit_id: units[i]!.unitId,
        organization_id: organizationId,
        space_id: spaceId,
        slug: `u${i}`,
        toolchain_type: "Kubernetes/YAML",
        labels: json({}),
        annotations: json({}),
        ...columns,
      };
    });
    await db.insertInto("units").values(rows).execute();
  });

  it("stores the documents' plain values, and NULL for data it cannot represent", async () => {
    const stored = await db
      .selectFrom("units")
      .select(["unit_id", "data_json"])
      .where("organization_id", "=", organizationId)
      .execute();
    const byId = new Map(stored.map((row) => [row.unit_id, row.data_json as unknown]));
    for (const unit of units) {
      const expected = unit.stored
        ? JSON.parse(JSON.stringify(unit.documents!.documents.map((d) => d.toJS())))
        : null;
      expect(byId.get(unit.unitId), unit.text).toEqual(expected);
    }
    // The unparseable and the NUL-holding Units are unknown; the generated ones all stored.
    expect(units.filter((u) => !u.stored).map((u) => u.text)).toEqual(HANDWRITTEN.slice(-2));
    expect(units.filter((u) => u.stored)).toHaveLength(units.length - 2);
  });

  it("keeps every Unit the exact check keeps (pre-filter + exact == exact), exactly those when exact", async () => {
    let narrowed = 0;
    let matching = 0;
    for (const { prepared, resourceType } of cases) {
      const prefilter = unitDataPrefilter(prepared, resourceType);
      let query = db.selectFrom("units").select("unit_id").where("organization_id", "=", organizationId);
      if (prefilter) query = query.where(prefilter);
      const kept = new Set((await query.execute()).map((row) => row.unit_id));
      const label = `${prepared.source} [${resourceType}]`;
      const exact = units.map((u) => ({ ...u, verdict: exactVerdict(u.documents, prepared, resourceType) }));
      // Never drops a Unit that matches or whose check reports an error.
      const dropped = exact.filter((u) => u.verdict !== "no" && !kept.has(u.unitId));
      expect(
        dropped.map((u) => u.text),
        label,
      ).toEqual([]);
      // Unknown values always pass.
      expect(
        exact.filter((u) => !u.stored && !kept.has(u.unitId)),
        label,
      ).toEqual([]);
      const translation = whereDataJsonPath(prepared, resourceType);
      if (translation?.exact) {
        const extra = exact.filter((u) => u.stored && u.verdict === "no" && kept.has(u.unitId));
        expect(
          extra.map((u) => u.text),
          `${label}: ${translation.path}`,
        ).toEqual([]);
      }
      if (kept.size < units.length) narrowed++;
      if (exact.some((u) => u.verdict === "match")) matching++;
    }
    // Enough cases select something, so a dropped match would show.
    expect(matching).toBeGreaterThan(cases.length / 3);
    // The pre-filter does narrow: most generated expressions select few Units.
    expect(narrowed).toBeGreaterThan(cases.length / 2);
  });
});
