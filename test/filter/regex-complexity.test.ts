// The cost limits of filter regexes: what counts as a quantifier, an alternative, nesting and
// counted repetition — and what does not (characters inside classes, escapes and \Q…\E literals).
import { describe, expect, it } from "vitest";
import { checkRegexComplexity, type RegexLimits } from "../../src/filter/regex/complexity.ts";

const limits: RegexLimits = {
  maxLength: 100,
  maxQuantifiers: 3,
  maxAlternations: 2,
  maxRepeatNesting: 2,
  maxRepeatExpansion: 50,
};
const check = (pattern: string) => checkRegexComplexity(pattern, limits);

describe("checkRegexComplexity", () => {
  it("accepts patterns within every limit", () => {
    for (const pattern of [
      "a*b+c?",
      "a|b|c",
      "(a+)+",
      "(?:a{5}){10}",
      "[*+?{}|()]x",
      "\\*\\+\\?\\|",
      "\\Q*+?|\\E",
    ]) {
      expect(check(pattern), pattern).toEqual({ ok: true });
    }
  });

  it("counts quantifiers, lazy ones once, and names the one over the limit", () => {
    expect(check("a*?b+?c??")).toEqual({ ok: true });
    expect(check("a*b*c{2,3}d+")).toEqual({
      ok: false,
      offset: 11,
      length: 1,
      reason: "4 quantifiers, more than the limit of 3",
    });
  });

  it("counts alternatives outside classes only", () => {
    expect(check("[|||]a|b")).toEqual({ ok: true });
    expect(check("a|b|c|d")).toMatchObject({
      ok: false,
      offset: 5,
      reason: "3 alternatives, more than the limit of 2",
    });
  });

  it("measures repeat nesting through groups, flag groups aside", () => {
    expect(check("(?i)((a)+)+")).toEqual({ ok: true });
    expect(check("(((a)+)+)+")).toMatchObject({
      ok: false,
      offset: 9,
      reason: "repeats nested 3 deep, more than the limit of 2",
    });
  });

  it("multiplies counted repetitions through nesting and sums them across groups", () => {
    expect(check("(a{5}){10}")).toEqual({ ok: true });
    expect(check("(a{6}){10}")).toMatchObject({
      ok: false,
      reason: "60 counted repetitions, more than the limit of 50",
    });
    expect(check("(a{30})(b{21})")).toMatchObject({
      ok: false,
      reason: "51 counted repetitions, more than the limit of 50",
    });
    expect(check("a{2,}b{3,40}")).toEqual({ ok: true });
    expect(check("a{20,}b{3,40}")).toMatchObject({
      ok: false,
      reason: "60 counted repetitions, more than the limit of 50",
    });
  });

  it("refuses a pattern over the length limit as a whole", () => {
    expect(check("a".repeat(101))).toEqual({
      ok: false,
      offset: 0,
      length: 101,
      reason: "101 characters, more than the limit of 100",
    });
  });
});
