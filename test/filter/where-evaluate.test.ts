// In-memory `where` (entities that are not rows, such as function signatures): SQL's semantics,
// including three-valued logic for missing values and IS [NOT] TRUE|FALSE.
import { describe, expect, it } from "vitest";
import { functionSignatureCatalogue, unitCatalogue } from "../../src/filter/catalogue/index.ts";
import { evaluateContains, matchesWhere, prepareWhere } from "../../src/filter/where/index.ts";

const A = "7c61626f-ddbe-41af-93f6-b69f4ab6d308";
const B = "0b9e3c1a-5d2f-4e8a-9c7b-1a2b3c4d5e6f";

const unit = {
  UnitID: A,
  Slug: "web-frontend",
  DisplayName: "Web Frontend",
  ToolchainType: "Kubernetes/YAML",
  Labels: { tier: "backend", "app.kubernetes.io/name": "web" },
  Annotations: {},
  ApplyGates: { "prod/policy/vet-images": true },
  ApprovedBy: [A.toUpperCase()],
  FromLinkID: [],
  HeadRevisionNum: 5,
  LiveRevisionNum: 3,
  TargetID: null,
  CreatedAt: "2025-02-18T23:16:34.250Z",
  UpdatedAt: "2025-03-01T00:00:00+01:00",
  Values: { "replicas/replicas": "3" },
};

describe("where evaluated in memory", () => {
  it.each([
    ["Slug = 'web-frontend'", true],
    ["Slug != 'web-frontend'", false],
    ["Slug < 'x' AND Slug > 'a' AND Slug >= 'web-frontend' AND Slug <= 'web-frontend'", true],
    ["Slug LIKE 'web-%'", true],
    ["Slug LIKE 'WEB-%'", false],
    ["Slug ILIKE 'WEB-%'", true],
    ["Slug NOT LIKE 'web-_rontend'", false],
    ["Slug NOT ILIKE 'x%'", true],
    ["DisplayName LIKE 'Web\\ %'", true],
    ["Slug ~ 'front'", true],
    ["Slug ~ '^front'", false],
    ["Slug ~* 'FRONT'", true],
    ["Slug !~ 'back'", true],
    ["Slug !~* 'WEB'", false],
    ["Slug IN ('a', 'web-frontend')", true],
    ["Slug NOT IN ('a', 'web-frontend')", false],
    ["HeadRevisionNum > LiveRevisionNum", true],
    ["HeadRevisionNum IN (1, 5) AND HeadRevisionNum NOT IN (2)", true],
    ["HeadRevisionNum = 5 AND HeadRevisionNum != 4 AND HeadRevisionNum >= 5 AND HeadRevisionNum <= 5", true],
    [`UnitID = '${A.toUpperCase()}'`, true],
    [`UnitID IN ('${B}')`, false],
    [`ApprovedBy ? '${A}'`, true],
    [`ApprovedBy ? '${B}'`, false],
    ["LEN(ApprovedBy) = 1 AND LEN(FromLinkID) = 0 AND LEN(Labels) = 2", true],
    ["Labels.tier = 'backend'", true],
    ["Labels.app.kubernetes.io/name = 'web'", true],
    ["Labels ? 'tier' AND Labels.tier IS NOT NULL AND Labels.env IS NULL", true],
    ["ApplyGates.prod/policy/vet-images = true", true],
    ["ApplyGates ? 'prod/policy/vet-images'", true],
    ["Values.replicas/replicas > '2'", true],
    ["Values.replicas/replicas > '20'", true],
    ["CreatedAt > '2025-02-18T23:16:34' AND CreatedAt < '2025-02-18T23:16:34.251Z'", true],
    ["CreatedAt = '2025-02-18T23:16:34.25Z'", true],
    ["UpdatedAt = '2025-03-01T00:00:00Z'", false],
    ["UpdatedAt = '2025-02-28T23:00:00Z'", true],
    ["CreatedAt < UpdatedAt", true],
    ["TargetID IS NULL", true],
    ["LastActionAt IS NULL", true],
  ] as const)("%s -> %s", (where, expected) => {
    expect(matchesWhere(where, unitCatalogue, unit)).toBe(expected);
  });

  it("treats a missing value as unknown: neither = nor != matches it", () => {
    expect(matchesWhere("Labels.env = 'prod'", unitCatalogue, unit)).toBe(false);
    expect(matchesWhere("Labels.env != 'prod'", unitCatalogue, unit)).toBe(false);
    expect(matchesWhere("Labels.env NOT IN ('prod')", unitCatalogue, unit)).toBe(false);
    expect(matchesWhere(`TargetID != '${A}'`, unitCatalogue, unit)).toBe(false);
  });

  it("tests truth three-valued: IS NOT FALSE keeps unknown, IS TRUE drops it", () => {
    expect(matchesWhere(`TargetID = '${A}' IS NOT FALSE`, unitCatalogue, unit)).toBe(true);
    expect(matchesWhere(`TargetID = '${A}' IS TRUE`, unitCatalogue, unit)).toBe(false);
    expect(matchesWhere(`TargetID = '${A}' IS NOT TRUE`, unitCatalogue, unit)).toBe(true);
    expect(matchesWhere(`TargetID = '${A}' IS FALSE`, unitCatalogue, unit)).toBe(false);
    expect(matchesWhere("Slug = 'web-frontend' IS TRUE", unitCatalogue, unit)).toBe(true);
    expect(matchesWhere("Slug = 'x' IS FALSE", unitCatalogue, unit)).toBe(true);
    expect(matchesWhere("ApplyGates.missing IS NOT TRUE", unitCatalogue, unit)).toBe(true);
    expect(matchesWhere("ApplyGates.prod/policy/vet-images IS TRUE", unitCatalogue, unit)).toBe(true);
  });

  it('orders strings by code point, like collate "C" in PostgreSQL', () => {
    const one = (slug: string) => ({ ...unit, Slug: slug });
    expect(matchesWhere("Slug < 'a'", unitCatalogue, one("Z"))).toBe(true);
    expect(matchesWhere("Slug < '\uffff'", unitCatalogue, one("😀"))).toBe(false);
    expect(matchesWhere("Slug > '\ue000'", unitCatalogue, one("😀"))).toBe(true);
  });

  it("reads values of the wrong type as unknown", () => {
    const odd = { ...unit, HeadRevisionNum: "5", Labels: { tier: 3 }, ApprovedBy: "nope", CreatedAt: "soon" };
    expect(matchesWhere("HeadRevisionNum = 5", unitCatalogue, odd)).toBe(false);
    expect(matchesWhere("HeadRevisionNum != 5", unitCatalogue, odd)).toBe(false);
    expect(matchesWhere("Labels.tier = '3'", unitCatalogue, odd)).toBe(false);
    expect(matchesWhere(`ApprovedBy ? '${A}'`, unitCatalogue, odd)).toBe(false);
    expect(matchesWhere("CreatedAt > '2000-01-01'", unitCatalogue, odd)).toBe(false);
  });

  it("filters function signatures by nested and boolean fields", () => {
    const signatures = [
      {
        FunctionName: "set-image",
        Mutating: true,
        Validating: false,
        RequiredParameters: 2,
        OutputInfo: null,
        ToolchainType: "Kubernetes/YAML",
      },
      {
        FunctionName: "cel-validate",
        Mutating: false,
        Validating: true,
        RequiredParameters: 1,
        OutputInfo: { OutputType: "ValidationResult", ResultName: "passed", Description: "" },
        ToolchainType: "Kubernetes/YAML",
      },
    ];
    const names = (where: string) => {
      const checked = prepareWhere(where, functionSignatureCatalogue);
      return signatures
        .filter((s) => matchesWhere(checked, functionSignatureCatalogue, s))
        .map((s) => s.FunctionName);
    };
    expect(names("Mutating = true")).toEqual(["set-image"]);
    expect(names("Validating IS TRUE AND OutputInfo.OutputType = 'ValidationResult'")).toEqual([
      "cel-validate",
    ]);
    expect(names("OutputInfo.OutputType IS NULL")).toEqual(["set-image"]);
    expect(names("RequiredParameters >= 1 AND FunctionName LIKE '%-%'")).toEqual([
      "set-image",
      "cel-validate",
    ]);
  });
});

describe("contains evaluated in memory", () => {
  it.each([
    ["FRONT", true],
    ["kubernetes/yaml", true],
    ["backend", true],
    ["app.kubernetes", true],
    ["vet-images", true],
    ["replicas/", true],
    ["nothing-like-it", false],
    ["true", false],
  ])("%s -> %s", (text, expected) => {
    expect(evaluateContains(text, unitCatalogue, unit)).toBe(expected);
  });
});
