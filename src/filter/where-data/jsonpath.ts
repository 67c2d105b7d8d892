// `where_data` as a PostgreSQL SQL/JSON path over a Unit's stored plain values (a JSON array with
// one element per document, as `toJS` gives them): a pre-filter the database runs before the Units
// are read, so an organization-wide `where_data` does not parse every Unit. It must select a
// SUPERSET of what the in-process evaluator (evaluate.ts) selects; the exact check still runs on
// every Unit it lets through. So only what PostgreSQL decides as the evaluator does is translated
// (plain keys, `*`, `?k=v`, comparisons, IN, LIKE, split paths); anything else (regexes, ILIKE,
// accessors, quantity-aware comparisons) contributes TRUE.
//
// How the evaluator's rules map to the path:
// - the path runs in strict mode, each step inside `exists(step ? (rest))`: a missing key, a key on a
//   non-object, an index on a non-array are errors there, which make the predicate unknown (false)
//   for that value only, so wildcards stay existential and a missing path never matches;
// - every test checks the JSON type first (a type mismatch is a non-match; SQL/JSON would call
//   `null != true` true);
// - all-digit keys read a map key or an array index, as the evaluator's lookup does.
// User text reaches the path only as quoted keys and LIKE patterns, escaped character by character;
// every compared value is a variable (`$v0`...), passed separately (jsonb_path_exists's `vars`).
import type { PathSegment } from "../../config/index.ts";
import type { PreparedRelation, PreparedWhereData } from "./prepare.ts";

export interface WhereDataJsonPath {
  /** A strict-mode SQL/JSON path over the array of documents: a match means "may match". */
  readonly path: string;
  /** The values the path names as `$v0`, `$v1`, ... (jsonb_path_exists's `vars`). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Whether the path decides the expression exactly (every relation translated, none widened). */
  readonly exact: boolean;
}

/** Longest path text produced; beyond it the relation contributes TRUE. */
const MAX_PATH_LENGTH = 16_384;
/** All-digit keys read a key or an index: each doubles the rest of the path, so only a few. */
const MAX_DIGIT_KEYS = 6;
/** LIKE patterns translated to `like_regex`: short ones, with few wildcards (regex compile cost). */
const MAX_LIKE_CODE_POINTS = 512;
const MAX_LIKE_RUNS = 32;

/**
 * The pre-filter for one `where_data` condition on resources of `resourceType` (`*`: all), or
 * undefined when nothing of it can be decided in the database (every Unit may match).
 */
export function whereDataJsonPath(
  prepared: PreparedWhereData,
  resourceType: string,
): WhereDataJsonPath | undefined {
  const builder = new PathBuilder();
  const conjuncts: string[] = [];
  let exact = true;
  // Only resources with an identity are visited (a string apiVersion, kind and metadata.name).
  conjuncts.push(IDENTIFIED);
  if (resourceType !== "*") {
    const type = builder.attempt(() => builder.resourceType(resourceType));
    if (type === undefined) exact = false;
    else conjuncts.push(type);
  }
  if (prepared.relations.length === 0 && resourceType === "*") {
    // A blank expression with `*` never matches (spec §2.5).
    return { path: "strict $ ? (1 == 2)", vars: {}, exact: true };
  }
  for (const relation of prepared.relations) {
    const translated = builder.attempt(() => builder.relation(relation));
    if (translated === undefined) {
      exact = false;
      continue;
    }
    exact &&= translated.exact;
    conjuncts.push(translated.predicate);
  }
  // Identity alone hardly narrows: not worth running.
  if (conjuncts.length === 1) return undefined;
  return { path: `strict $[*] ? (${conjuncts.join(" && ")})`, vars: builder.vars, exact };
}

const nonEmptyString = (path: string) => `${path}.type() == "string" && ${path} != ""`;
/** Kubernetes identity (src/config/identity/kubernetes-identity.ts). */
const IDENTIFIED = [`@."apiVersion"`, `@."kind"`, `@."metadata"."name"`].map(nonEmptyString).join(" && ");

interface Translated {
  readonly predicate: string;
  readonly exact: boolean;
}

/** A test of the current item `@`, or undefined for "the path exists" (split paths). */
type ValueTest = string | undefined;

class PathBuilder {
  readonly vars: Record<string, unknown> = {};
  #next = 0;
  /** Text the database cannot hold was met while building the current part. */
  #unstorable = false;

  /** Builds one part; undefined (and its variables dropped) when it met unstorable text. */
  attempt<T>(build: () => T | undefined): T | undefined {
    const first = this.#next;
    this.#unstorable = false;
    const built = build();
    if (built !== undefined && !this.#unstorable) return built;
    for (let i = first; i < this.#next; i++) delete this.vars[`v${i}`];
    return undefined;
  }

  variable(value: unknown): string {
    if (typeof value === "string" && !storable(value)) this.#unstorable = true;
    const name = `v${this.#next++}`;
    this.vars[name] = value;
    return `$${name}`;
  }

  quote(text: string): string {
    if (!storable(text)) this.#unstorable = true;
    return quote(text);
  }

  /** The document's type is `apiVersion/kind`: one alternative per `/` the type could split at. */
  resourceType(type: string): string {
    const alternatives: string[] = [];
    for (let i = type.indexOf("/"); i >= 0; i = type.indexOf("/", i + 1)) {
      if (i === 0 || i === type.length - 1) continue;
      const apiVersion = this.variable(type.slice(0, i));
      const kind = this.variable(type.slice(i + 1));
      alternatives.push(`(@."apiVersion" == ${apiVersion} && @."kind" == ${kind})`);
    }
    return alternatives.length === 0 ? "1 == 2" : `(${alternatives.join(" || ")})`;
  }

  relation(relation: PreparedRelation): Translated | undefined {
    if (relation.accessor !== undefined) return undefined;
    const segments = relation.node.path.segments;
    const split = segments.findIndex((s) => s.kind === "SplitSegment");
    const left = split < 0 ? segments : segments.slice(0, split);
    // The right part of a split path is read as plain keys (prepare.ts does the same).
    const right = split < 0 ? undefined : segments.slice(split).map((s) => ("key" in s ? s.key : ""));
    if (relation.test.kind === "compare" && mayBeQuantityPath(segments, right)) return undefined;
    const keys = [...left, ...(right ?? []).map(keySegment)].map((s) => ("key" in s ? s.key : ""));
    if (keys.filter((key) => /^\d{1,9}$/.test(key)).length > MAX_DIGIT_KEYS) return undefined;
    const test = this.valueTest(relation);
    if (test === undefined) return undefined;
    let predicate: string;
    let exact = !left.some((s) => s.kind === "MatchSegment");
    if (right === undefined) {
      predicate = this.steps(left, test.predicate);
    } else {
      // `left.|right`: the left nodes must exist; under one, `right` satisfies the test, or for
      // `!=` it is missing.
      let under = this.keys(right, test.predicate);
      if (relation.test.kind === "compare" && relation.test.operator === "!=") {
        const present = this.keys(right, undefined);
        under = `(${under} || (${present}) is unknown || !(${present}))`;
      }
      predicate = this.steps(left, under);
    }
    exact &&= test.exact;
    if (predicate.length > MAX_PATH_LENGTH) return undefined;
    return { predicate, exact };
  }

  /** The segments from the current item, then `test` on what they reach. */
  steps(segments: readonly PathSegment[], test: ValueTest): string {
    if (segments.length === 0) return test ?? "(1 == 1)";
    const [segment, ...rest] = segments as [PathSegment, ...PathSegment[]];
    switch (segment.kind) {
      case "KeySegment":
      case "BoundKeySegment":
      case "SplitSegment":
        return this.key(
          segment.key,
          rest.length === 0 && test === undefined ? undefined : this.steps(rest, test),
        );
      case "WildcardSegment":
      case "WildcardFieldSegment":
      case "WildcardKeySegment":
        // Every child of a map or an array (`.**{1}`: one level down, both container kinds).
        return `exists(@.**{1} ? (${this.steps(rest, test)}))`;
      case "MatchSegment": {
        // The resolver takes the FIRST element whose field reads the value; SQL/JSON has no
        // element index to say "first", so any such element is taken (a superset). A field reads
        // as its text: a string as itself, any other scalar by its source (not stored), so every
        // non-string scalar may match.
        const value = this.variable(segment.value);
        const field = this.key(
          segment.field,
          `(@.type() == "string" && @ == ${value} || @.type() == "number" || @.type() == "boolean" || @.type() == "null")`,
        );
        return `exists(@[*] ? (${field} && ${this.steps(rest, test)}))`;
      }
    }
  }

  /** Plain keys (the right part of a split path). */
  keys(keys: readonly string[], test: ValueTest): string {
    return this.steps(keys.map(keySegment), test);
  }

  /**
   * One plain key: a map key, or on an array the index an all-digit key names (the evaluator's
   * lookup). `inner` undefined: only that the key exists.
   */
  key(key: string, inner: string | undefined): string {
    const member = `@.${this.quote(key)}`;
    const alternatives = [inner === undefined ? `exists(${member})` : `exists(${member} ? (${inner}))`];
    if (/^\d{1,9}$/.test(key)) {
      const element = `@[${Number(key)}]`;
      alternatives.push(inner === undefined ? `exists(${element})` : `exists(${element} ? (${inner}))`);
    }
    return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(" || ")})`;
  }

  valueTest(relation: PreparedRelation): Translated | undefined {
    const { test, node } = relation;
    switch (test.kind) {
      case "regex":
        // RE2 and PostgreSQL's regexes differ; the evaluator alone decides these.
        return undefined;
      case "like": {
        // ILIKE folds case as JavaScript does, which PostgreSQL's locale need not.
        if (node.operator === "ILIKE" || node.operator === "NOT ILIKE") return undefined;
        if (node.operand.kind !== "DataStringNode") return undefined;
        const regex = likeRegex(node.operand.value, (text) => this.quote(text));
        if (regex === undefined) return undefined;
        const matches = `@ like_regex ${regex}`;
        return {
          predicate: `(@.type() == "string" && ${test.negated ? `!(${matches})` : matches})`,
          exact: true,
        };
      }
      case "in":
        return this.membership([...test.items], test.negated);
      case "compare": {
        const { literal } = test;
        const operator = test.operator === "=" ? "==" : test.operator;
        const value = this.variable(literal);
        const type =
          typeof literal === "string" ? "string" : typeof literal === "number" ? "number" : "boolean";
        // Numbers compare as integers only (a float is a non-match).
        const integer = type === "number" ? ` && @.floor() == @` : "";
        return { predicate: `(@.type() == "${type}"${integer} && @ ${operator} ${value})`, exact: true };
      }
    }
  }

  /**
   * IN / NOT IN compare the value's text (evaluate.ts scalarText): a string as itself, a boolean as
   * true/false, a finite number truncated to an integer in decimal.
   */
  membership(items: readonly string[], negated: boolean): Translated | undefined {
    const strings = items.map((item) => this.variable(item));
    const numbers = items.filter(isIntegerText).map((item) => this.truncatesTo(item));
    const booleans = ["true", "false"].filter((b) => items.includes(b) !== negated);
    const branches: string[] = [];
    const stringTest = strings.map((s) => `@ ${negated ? "!=" : "=="} ${s}`).join(negated ? " && " : " || ");
    branches.push(`(@.type() == "string" && (${stringTest}))`);
    if (booleans.length > 0) branches.push(`(${booleans.map((b) => `@ == ${b}`).join(" || ")})`);
    if (negated) {
      const excluded = numbers.length === 0 ? "" : ` && !(${numbers.join(" || ")})`;
      branches.push(`(@.type() == "number"${excluded})`);
    } else if (numbers.length > 0) {
      branches.push(`(@.type() == "number" && (${numbers.join(" || ")}))`);
    }
    return { predicate: `(${branches.join(" || ")})`, exact: true };
  }

  /** The numbers whose truncation prints as `text` (an integer in JavaScript's own decimal form). */
  truncatesTo(text: string): string {
    const n = Number(text);
    // Beyond 2^52 every double is an integer: only n itself prints as n.
    if (Math.abs(n) >= 2 ** 52) return `@ == ${this.variable(n)}`;
    if (n > 0) return `(@ >= ${this.variable(n)} && @ < ${this.variable(n + 1)})`;
    if (n < 0) return `(@ > ${this.variable(n - 1)} && @ <= ${this.variable(n)})`;
    return `(@ > -1 && @ < 1)`;
  }
}

function keySegment(key: string): PathSegment {
  return { kind: "KeySegment", key };
}

/** `text` is what String(Math.trunc(x)) gives for some finite x. */
function isIntegerText(text: string): boolean {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) && Number.isInteger(n) && String(n) === text;
}

/**
 * Whether the evaluator may compare the value as a Kubernetes quantity (evaluate.ts
 * isQuantityPath: `…resources.(requests|limits).<name>`); a pattern segment may be anything.
 */
function mayBeQuantityPath(segments: readonly PathSegment[], right: readonly string[] | undefined): boolean {
  const split = segments.findIndex((s) => s.kind === "SplitSegment");
  const all: (string | undefined)[] = [
    ...(split < 0 ? segments : segments.slice(0, split)).map((s) =>
      s.kind === "KeySegment" || s.kind === "BoundKeySegment" ? s.key : undefined,
    ),
    ...(right ?? []),
  ];
  const n = all.length;
  if (n < 3) return false;
  const could = (segment: string | undefined, test: (key: string) => boolean) =>
    segment === undefined || test(segment);
  return (
    could(all[n - 3], (k) => k === "resources") &&
    could(all[n - 2], (k) => k === "requests" || k === "limits") &&
    could(all[n - 1], (k) => /^[a-z0-9][a-z0-9./_-]*$/.test(k))
  );
}

/** Text the database can hold: no NUL and no lone surrogate (PostgreSQL refuses both in JSON). */
export function storable(text: string): boolean {
  return !/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** A SQL/JSON path string literal: printable ASCII as is, everything else as `\u{hex}`. */
function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f && ch !== '"' && ch !== "\\") out += ch;
    else out += `\\u{${code.toString(16)}}`;
  }
  return `${out}"`;
}

/**
 * The where-filter LIKE (like.ts: `%` any run, `_` one character, no escape, no wildcard crosses a
 * newline) as an anchored regex literal. PostgreSQL's `like_regex` without the `s` flag keeps `.`
 * off newlines and `^`/`$` at the ends of the string. Every non-alphanumeric character is escaped
 * (`\` + such a character is that character in its regexes).
 */
function likeRegex(pattern: string, quoted: (text: string) => string): string | undefined {
  const chars = [...pattern];
  if (chars.length > MAX_LIKE_CODE_POINTS) return undefined;
  let regex = "^";
  let runs = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "%") {
      if (chars[i - 1] !== "%") {
        regex += ".*";
        runs++;
      }
    } else if (ch === "_") regex += ".";
    else if (/^[A-Za-z0-9]$/.test(ch) || ch.codePointAt(0)! > 0x7f) regex += ch;
    else regex += `\\${ch}`;
  }
  if (runs > MAX_LIKE_RUNS) return undefined;
  return quoted(`${regex}$`);
}
