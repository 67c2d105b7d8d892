// Checking `where` against an attribute catalogue: every error is a typed FilterError whose message
// quotes the offending text, gives its column and, for a misspelt attribute, the nearest name.
import { describe, expect, it } from "vitest";
import {
  catalogueFor,
  defineCatalogue,
  functionSignatureCatalogue,
  snakeCase,
  spaceCatalogue,
  triggerCatalogue,
  unitCatalogue,
} from "../../src/filter/catalogue/index.ts";
import { FilterError, FilterErrorCode } from "../../src/filter/errors.ts";
import { prepareWhere } from "../../src/filter/where/index.ts";

const U = "7c61626f-ddbe-41af-93f6-b69f4ab6d308";

function rejection(where: string, catalogue = unitCatalogue): FilterError {
  try {
    prepareWhere(where, catalogue);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(where)} to be rejected`);
}

describe("where attribute catalogues", () => {
  it("covers every Unit attribute of ConfigHub's V26 list with its type", () => {
    const v26 =
      "Annotations, ApplyGates, ApplyWarnings, ApprovedBy, BridgeWorkerID, ChangeSetID, CreatedAt, DataHash, DeleteGates, DestroyGates, DisplayName, DriftReconciliationMode, FromLinkID, HeadRevisionNum, HeadUnitActionNum, HeadUnitEventNum, Labels, LastActionAt, LastAppliedRevisionNum, LastChangeDescription, LiveRevisionNum, OrganizationID, PreviousLiveRevisionNum, ProviderType, Slug, SpaceID, TargetID, TargetOptions, ToolchainType, UnitID, UpdatedAt, UpstreamOrganizationID, UpstreamRevisionNum, UpstreamSpaceID, UpstreamUnitID, Values";
    expect([...unitCatalogue.attributes.keys()].sort()).toEqual(v26.split(", ").sort());
    const typeOf = (name: string): unknown => unitCatalogue.attributes.get(name)?.type;
    for (const name of ["BridgeWorkerID", "ChangeSetID", "OrganizationID", "SpaceID", "TargetID", "UnitID"]) {
      expect(typeOf(name)).toEqual({ kind: "scalar", type: "uuid" });
    }
    for (const name of [
      "HeadRevisionNum",
      "LiveRevisionNum",
      "LastAppliedRevisionNum",
      "PreviousLiveRevisionNum",
      "UpstreamRevisionNum",
      "HeadUnitActionNum",
      "HeadUnitEventNum",
    ]) {
      expect(typeOf(name)).toEqual({ kind: "scalar", type: "int" });
    }
    for (const name of ["CreatedAt", "UpdatedAt", "LastActionAt"]) {
      expect(typeOf(name)).toEqual({ kind: "scalar", type: "time" });
    }
    for (const name of ["Labels", "Annotations", "TargetOptions", "Values"]) {
      expect(typeOf(name)).toEqual({ kind: "map", value: "string" });
    }
    for (const name of ["ApplyGates", "ApplyWarnings", "DeleteGates", "DestroyGates"]) {
      expect(typeOf(name)).toEqual({ kind: "map", value: "bool" });
    }
    expect(typeOf("ApprovedBy")).toEqual({ kind: "array", element: "uuid" });
    expect(typeOf("FromLinkID")).toEqual({ kind: "array", element: "uuid" });
  });

  it("maps attributes onto the snake_case columns of the schema", () => {
    expect(unitCatalogue.attributes.get("HeadRevisionNum")?.column).toBe("head_revision_num");
    expect(unitCatalogue.attributes.get("UpstreamOrganizationID")?.column).toBe("upstream_organization_id");
    expect(unitCatalogue.attributes.get("FromLinkID")?.column).toBe("from_link_id");
    expect(snakeCase("IPAddress")).toBe("ip_address");
    expect(snakeCase("UnitID")).toBe("unit_id");
  });

  it("finds catalogues by entity type and makes a new one a data change", () => {
    expect(catalogueFor("Unit")).toBe(unitCatalogue);
    expect(catalogueFor("Space")).toBe(spaceCatalogue);
    expect(catalogueFor("Trigger")).toBe(triggerCatalogue);
    expect(catalogueFor("FunctionSignature")).toBe(functionSignatureCatalogue);
    expect(catalogueFor("Nope")).toBeUndefined();
    const invocation = defineCatalogue({
      entity: "Invocation",
      table: "invocations",
      attributes: { FunctionName: "string", BridgeWorkerID: "uuid?", Labels: "map<string>" },
    });
    expect(invocation.attributes.get("BridgeWorkerID")).toMatchObject({
      column: "bridge_worker_id",
      nullable: true,
      type: { kind: "scalar", type: "uuid" },
    });
    expect(() =>
      prepareWhere("FunctionName = 'set-image' AND BridgeWorkerID IS NULL", invocation),
    ).not.toThrow();
  });
});

describe("where type checking", () => {
  it.each([
    [
      "Lables.tier = 'x'",
      FilterErrorCode.UnknownAttribute,
      "where: unknown attribute 'Lables' at column 1 (did you mean 'Labels'?)",
    ],
    [
      "slug = 'x'",
      FilterErrorCode.UnknownAttribute,
      "where: unknown attribute 'slug' at column 1 (did you mean 'Slug'?)",
    ],
    [
      "Slug = 'a' AND HeadRevison > 1",
      FilterErrorCode.UnknownAttribute,
      "where: unknown attribute 'HeadRevison' at column 16 (did you mean 'HeadRevisionNum'?)",
    ],
    ["Frobnicate = 1", FilterErrorCode.UnknownAttribute, "where: unknown attribute 'Frobnicate' at column 1"],
    [
      "SetID = 'x'",
      FilterErrorCode.UnsupportedAttribute,
      "where: attribute 'SetID' of Unit is not supported by confn at column 1",
    ],
    [
      "Slug.x = 'a'",
      FilterErrorCode.NotAMap,
      "where: '.x' names a key, but string attribute 'Slug' has no keys at column 5",
    ],
    [
      "HeadRevisionNum LIKE 'a%'",
      FilterErrorCode.OperatorType,
      "where: operator 'LIKE' does not apply to integer attribute 'HeadRevisionNum' at column 17 (integer values take =, !=, <, <=, >, >=, IN, NOT IN)",
    ],
    [
      "HeadRevisionNum ~ '1'",
      FilterErrorCode.OperatorType,
      "where: operator '~' does not apply to integer attribute 'HeadRevisionNum' at column 17 (integer values take =, !=, <, <=, >, >=, IN, NOT IN)",
    ],
    [
      `UnitID < '${U}'`,
      FilterErrorCode.OperatorType,
      "where: operator '<' does not apply to uuid attribute 'UnitID' at column 8 (uuid values take =, !=, IN, NOT IN)",
    ],
    [
      "ApplyGates.x > true",
      FilterErrorCode.OperatorType,
      "where: operator '>' does not apply to bool value 'ApplyGates.x' at column 14 (bool values take =, !=)",
    ],
    [
      "ApplyGates.x IN (true)",
      FilterErrorCode.OperatorType,
      "where: operator 'IN' does not apply to bool value 'ApplyGates.x' at column 14 (bool values take =, !=)",
    ],
    [
      "CreatedAt LIKE '2025%'",
      FilterErrorCode.OperatorType,
      "where: operator 'LIKE' does not apply to time attribute 'CreatedAt' at column 11 (time values take =, !=, <, <=, >, >=)",
    ],
    [
      "CreatedAt IN ('2025-01-01')",
      FilterErrorCode.OperatorType,
      "where: operator 'IN' does not apply to time attribute 'CreatedAt' at column 11 (time values take =, !=, <, <=, >, >=)",
    ],
    [
      "Labels = 'x'",
      FilterErrorCode.OperatorType,
      "where: operator '=' does not apply to map of string attribute 'Labels' at column 8 (compare one key, as in Labels.<key>, or use ?, LEN() or IS NULL)",
    ],
    [
      `ApprovedBy = '${U}'`,
      FilterErrorCode.OperatorType,
      "where: operator '=' does not apply to array of uuid attribute 'ApprovedBy' at column 12 (arrays take ? and LEN())",
    ],
    [
      "Slug ? 'x'",
      FilterErrorCode.OperatorType,
      "where: operator '?' does not apply to string attribute 'Slug' at column 6 (? tests membership in an array or the presence of a map key)",
    ],
    [
      "Labels.tier ? 'x'",
      FilterErrorCode.OperatorType,
      "where: operator '?' does not apply to string value 'Labels.tier' at column 13 (? tests membership in an array or the presence of a map key)",
    ],
    [
      "LEN(Slug) > 1",
      FilterErrorCode.OperatorType,
      "where: LEN() does not apply to string attribute 'Slug' at column 1 (LEN() counts the elements of an array or the keys of a map)",
    ],
    [
      "Slug IS NULL",
      FilterErrorCode.OperatorType,
      "where: IS NULL does not apply to string attribute 'Slug' at column 6 (IS NULL tests map keys and optional attributes; 'Slug' is never null)",
    ],
    [
      "Labels IS NOT NULL",
      FilterErrorCode.OperatorType,
      "where: IS NOT NULL does not apply to map of string attribute 'Labels' at column 8 (name a key: Labels.<key> IS NOT NULL)",
    ],
    [
      "Slug IS TRUE",
      FilterErrorCode.OperatorType,
      "where: IS TRUE does not apply to string attribute 'Slug' at column 6 (it tests a condition or a boolean attribute)",
    ],
    [
      "HeadRevisionNum = '3'",
      FilterErrorCode.LiteralType,
      "where: integer attribute 'HeadRevisionNum' cannot be compared with string literal '3' at column 19 (write the number without quotes)",
    ],
    [
      "Slug = 3",
      FilterErrorCode.LiteralType,
      "where: string attribute 'Slug' cannot be compared with integer literal 3 at column 8 (quote it: 'text')",
    ],
    [
      "Slug IN ('a', 2)",
      FilterErrorCode.LiteralType,
      "where: string attribute 'Slug' cannot be compared with integer literal 2 at column 15 (quote it: 'text')",
    ],
    [
      "ApplyGates.x = 'true'",
      FilterErrorCode.LiteralType,
      "where: bool value 'ApplyGates.x' cannot be compared with string literal 'true' at column 16 (write true or false)",
    ],
    [
      `UnitID = ${1}`,
      FilterErrorCode.LiteralType,
      "where: uuid attribute 'UnitID' cannot be compared with integer literal 1 at column 10 (quote the UUID: '<uuid>')",
    ],
    [
      "CreatedAt > 2025",
      FilterErrorCode.LiteralType,
      "where: time attribute 'CreatedAt' cannot be compared with integer literal 2025 at column 13 (quote the time: '2025-02-18T23:16:34Z')",
    ],
    [
      "LEN(Labels) > '1'",
      FilterErrorCode.LiteralType,
      "where: integer LEN(Labels) cannot be compared with string literal '1' at column 15 (write the number without quotes)",
    ],
    [
      "Slug LIKE DisplayName",
      FilterErrorCode.LiteralType,
      "where: 'LIKE' needs a string literal pattern, not 'DisplayName' at column 11 (write the pattern in single quotes)",
    ],
    [
      "Slug = HeadRevisionNum",
      FilterErrorCode.OperandTypes,
      "where: cannot compare string attribute 'Slug' with integer attribute 'HeadRevisionNum' at column 1",
    ],
    [
      "UnitID = 'not-a-uuid'",
      FilterErrorCode.InvalidUuid,
      "where: invalid UUID 'not-a-uuid' at column 10 (write 8-4-4-4-12 hexadecimal digits, e.g. '7c61626f-ddbe-41af-93f6-b69f4ab6d308')",
    ],
    [
      "ApprovedBy ? 'bob'",
      FilterErrorCode.InvalidUuid,
      "where: invalid UUID 'bob' at column 14 (write 8-4-4-4-12 hexadecimal digits, e.g. '7c61626f-ddbe-41af-93f6-b69f4ab6d308')",
    ],
    [
      "CreatedAt > '2025-02-30'",
      FilterErrorCode.InvalidTime,
      "where: invalid time '2025-02-30' at column 13 (use RFC 3339, e.g. '2025-02-18T23:16:34Z'; a time without a zone is UTC)",
    ],
    [
      "CreatedAt > 'yesterday'",
      FilterErrorCode.InvalidTime,
      "where: invalid time 'yesterday' at column 13 (use RFC 3339, e.g. '2025-02-18T23:16:34Z'; a time without a zone is UTC)",
    ],
    [
      "HeadRevisionNum > 99999999999999999999",
      FilterErrorCode.IntegerRange,
      "where: integer 99999999999999999999 is out of range at column 19 (integers must lie within ±9007199254740991)",
    ],
    [
      "Slug LIKE 'abc\\'",
      FilterErrorCode.InvalidLike,
      "where: LIKE pattern 'abc\\' ends with a lone backslash at column 11 (a backslash escapes the next character; write \\\\ for a backslash)",
    ],
    [
      "Slug ~ '(a'",
      FilterErrorCode.InvalidRegex,
      "where: invalid regular expression '(a' at column 8 (missing closing ))",
    ],
    [
      "Slug ~ '(a)\\1'",
      FilterErrorCode.InvalidRegex,
      "where: invalid regular expression '(a)\\1' at column 8 (invalid escape sequence at '\\1')",
    ],
    [
      "Slug ~* '(?=x)'",
      FilterErrorCode.InvalidRegex,
      "where: invalid regular expression '(?=x)' at column 9 (invalid or unsupported Perl syntax at '(?=')",
    ],
    [
      "OutputInfo.Descripton = 'x'",
      FilterErrorCode.UnknownAttribute,
      "where: unknown attribute 'OutputInfo.Descripton' at column 1 (did you mean 'OutputInfo.Description'?)",
    ],
  ] as const)("%s", (where, code, message) => {
    const catalogue = where.startsWith("OutputInfo") ? functionSignatureCatalogue : unitCatalogue;
    const error = rejection(where, catalogue);
    expect(error.message).toBe(message);
    expect(error.code).toBe(code);
    expect(error.language).toBe("where");
    expect(error.position?.column).toBe(Number(/column (\d+)/.exec(message)?.[1]));
  });

  it("carries the offending text and the suggestion on the error", () => {
    const error = rejection("Slug = 'a' AND Lables.tier = 'x'");
    expect(error.text).toBe("Lables");
    expect(error.suggestion).toBe("Labels");
    expect(error.position).toEqual({ offset: 15, length: 6, line: 1, column: 16 });
  });

  it("accepts every operator on the types it applies to", () => {
    const accepted = [
      "Slug = 'a' AND Slug != 'a' AND Slug < 'a' AND Slug <= 'a' AND Slug > 'a' AND Slug >= 'a'",
      "Slug LIKE 'a' AND Slug NOT LIKE 'a' AND Slug ILIKE 'a' AND Slug NOT ILIKE 'a' AND Slug ~~ 'a' AND Slug !~~ 'a'",
      "Slug ~ 'a' AND Slug ~* 'a' AND Slug !~ 'a' AND Slug !~* 'a' AND Slug IN ('a') AND Slug NOT IN ('a')",
      "HeadRevisionNum = 1 AND HeadRevisionNum != 1 AND HeadRevisionNum < 1 AND HeadRevisionNum <= 1",
      "HeadRevisionNum > 1 AND HeadRevisionNum >= 1 AND HeadRevisionNum IN (1, 2) AND HeadRevisionNum NOT IN (3)",
      `UnitID = '${U}' AND UnitID != '${U}' AND UnitID IN ('${U}') AND UnitID NOT IN ('${U}')`,
      "ApplyGates.x = true AND ApplyGates.x != false AND ApplyGates.x IS NOT TRUE AND ApplyGates.x IS NULL",
      "CreatedAt = '2025-01-01' AND CreatedAt != '2025-01-01' AND CreatedAt < '2025-01-01T00:00:00Z'",
      "CreatedAt <= '2025-01-01 10:00' AND CreatedAt > '2025-01-01T00:00:00.123456789-07:00' AND CreatedAt >= UpdatedAt",
      `ApprovedBy ? '${U}' AND LEN(ApprovedBy) >= 1 AND Labels ? 'a' AND LEN(Labels) = 0 AND Labels.a IS NOT NULL`,
      "TargetID IS NULL AND LastActionAt IS NOT NULL AND HeadRevisionNum > LiveRevisionNum IS NOT FALSE",
    ];
    for (const where of accepted) expect(() => prepareWhere(where, unitCatalogue)).not.toThrow();
    expect(() =>
      prepareWhere(
        "Mutating = true AND Validating IS NOT TRUE AND OutputInfo.OutputType IS NULL AND RequiredParameters > 1",
        functionSignatureCatalogue,
      ),
    ).not.toThrow();
    expect(() =>
      prepareWhere("Disabled = false AND Event = 'Mutation' AND Warn IS FALSE", triggerCatalogue),
    ).not.toThrow();
  });
});
