// LIKE patterns in memory, in PostgreSQL's dialect (backslash escapes) and in where-filter's (none).
import { describe, expect, it } from "vitest";
import { compileLike, endsWithLoneEscape } from "../../src/filter/like.ts";

const postgres = (pattern: string, input: string, caseInsensitive = false) =>
  compileLike(pattern, { dialect: "postgres", caseInsensitive }).test(input);
const whereFilter = (pattern: string, input: string) =>
  compileLike(pattern, { dialect: "where-filter", caseInsensitive: false }).test(input);

describe("LIKE", () => {
  it("matches the whole string: % is any run, _ exactly one character", () => {
    expect(postgres("nginx:%", "nginx:1.14.2")).toBe(true);
    expect(postgres("nginx:%", "my-nginx:1")).toBe(false);
    expect(postgres("a_c", "abc")).toBe(true);
    expect(postgres("a_c", "abbc")).toBe(false);
    expect(postgres("a_c", "a😀c")).toBe(true);
    expect(postgres("%", "")).toBe(true);
    expect(postgres("", "")).toBe(true);
    expect(postgres("", "a")).toBe(false);
  });

  it("treats regex characters as plain text", () => {
    expect(postgres("a.b(c)*[d]", "a.b(c)*[d]")).toBe(true);
    expect(postgres("a.b", "axb")).toBe(false);
  });

  it("ignores case for ILIKE", () => {
    expect(postgres("Nginx:%", "nginx:1", true)).toBe(true);
    expect(postgres("Nginx:%", "nginx:1")).toBe(false);
  });

  it("escapes with a backslash in PostgreSQL's dialect", () => {
    expect(postgres("50\\%", "50%")).toBe(true);
    expect(postgres("50\\%", "500")).toBe(false);
    expect(postgres("a\\_b", "a_b")).toBe(true);
    expect(postgres("a\\\\b", "a\\b")).toBe(true);
    expect(postgres("%", "a\nb")).toBe(true);
  });

  it("has no escape, and no wildcard crosses a newline, in where-filter's dialect", () => {
    expect(whereFilter("50\\%", "50\\%")).toBe(true);
    expect(whereFilter("50\\%", "50\\x")).toBe(true);
    expect(whereFilter("a%b", "a\nb")).toBe(false);
    expect(whereFilter("a_b", "a\nb")).toBe(false);
  });

  it("stays fast on many wildcards (RE2, no backtracking)", () => {
    const pattern = `${"%a".repeat(30)}%b`;
    expect(postgres(pattern, "a".repeat(5000))).toBe(false);
  });

  it("spots a pattern ending in a lone escape", () => {
    expect(endsWithLoneEscape("abc\\")).toBe(true);
    expect(endsWithLoneEscape("abc\\\\")).toBe(false);
    expect(endsWithLoneEscape("abc\\\\\\")).toBe(true);
    expect(endsWithLoneEscape("abc")).toBe(false);
  });
});
