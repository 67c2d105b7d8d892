// The parsed form of one YAML document: its CST token (where edits are written) and the Document
// composed from it (where values are read). Edits keep both in step; a change the Document does not
// reflect marks it stale and the next read re-parses the document's own text. Copies for cloned sets
// start from the text alone and parse only when read.
import { Composer, CST, isAlias, isCollection, isScalar, visit, type Document, type Node } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { composeOptions } from "../parse/compose-options.ts";
import { lexYaml } from "../parse/lex-yaml.ts";
import type { ParseLimits } from "../parse/limits.ts";
import { inspectNesting } from "../parse/nesting-guard.ts";
import { SourceLocator } from "../parse/source-position.ts";
import { configErrorFromYaml } from "../parse/yaml-errors.ts";
import { deepFreeze } from "./deep-freeze.ts";

/** Where a document sits in its Unit text, for error messages. */
export interface DocumentOrigin {
  /** 0-based index among all YAML documents of the Unit text. */
  readonly documentIndex: number;
  /** 1-based line of the document's first token in the Unit text. */
  readonly line: number;
}

export class DocumentState {
  /** Undefined only for a copy that has not been read yet (see `copy()`). */
  #token: CST.Document | undefined;
  #document: Document.Parsed | undefined;
  #js: { readonly value: unknown } | undefined;
  /** The document's text while it is known without stringifying the CST (until the next edit). */
  #text: string | undefined;
  /** A comment-only edit left #document without that comment (its values are still right). */
  #commentsStale = false;
  /** The Document composed from the text after such an edit, for readers of comments. */
  #commented: Document.Parsed | undefined;
  /** Directive lines (`%YAML ...`) that precede the document; they are part of its meaning. */
  readonly #prelude: string;
  readonly #limits: ParseLimits;
  readonly origin: DocumentOrigin;

  constructor(
    parsed:
      { token: CST.Document; document: Document.Parsed } | { text: string; js?: { readonly value: unknown } },
    prelude: string,
    limits: ParseLimits,
    origin: DocumentOrigin,
    text?: string,
  ) {
    if ("token" in parsed) {
      this.#token = parsed.token;
      this.#document = parsed.document;
      this.#text = text;
    } else {
      this.#text = parsed.text;
      this.#js = parsed.js;
    }
    this.#prelude = prelude;
    this.#limits = limits;
    this.origin = origin;
  }

  /** The CST token; edits mutate it in place and then call one of the `mark...` methods. */
  get token(): CST.Document {
    if (!this.#token) this.#parse();
    return this.#token!;
  }

  /** The composed Document, parsed from the text if an edit made it stale or it was never read. */
  document(): Document.Parsed {
    if (!this.#document) this.#parse();
    return this.#document!;
  }

  /**
   * The composed Document with every comment the text holds: the Document itself, unless a
   * comment-only edit made its comments stale; then one composed from the current text (cached
   * until the next edit), leaving the Document that edits keep in step untouched.
   */
  documentWithComments(): Document.Parsed {
    if (!this.#commentsStale) return this.document();
    this.#commented ??= composeSingle(this.#prelude + this.text(), this.#limits, this.origin).document;
    return this.#commented;
  }

  /** The document's plain value; cached and frozen, recomputed after an edit. */
  toJS(): unknown {
    if (!this.#js) {
      const document = this.document();
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: this.#limits.maxAliases });
      } catch (error) {
        throw aliasError(error, this.origin);
      }
      this.#js = { value: deepFreeze(value) };
    }
    return this.#js.value;
  }

  /** The document's text exactly as it will be serialised (including its `---` line, if any). */
  text(): string {
    this.#text ??= CST.stringify(this.#token!);
    return this.#text;
  }

  /** Called after a CST change the Document does not reflect: the next read re-parses. */
  markEdited(): void {
    this.#document = undefined;
    this.#js = undefined;
    this.#text = undefined;
    this.#commented = undefined;
  }

  /** Called after an edit that kept the Document in step with the CST (every DocumentEditor edit). */
  markValuesChanged(): void {
    this.#js = undefined;
    this.#text = undefined;
    this.#commented = undefined;
  }

  /** Called after an edit of comments or separators only: values and the Document are unchanged. */
  markTextChanged(): void {
    this.#text = undefined;
    this.#commentsStale = true;
    this.#commented = undefined;
  }

  /**
   * An independent copy for a cloned set. It holds only the text (strings are immutable) and the
   * frozen plain value, and parses on its first structural read: a snapshot that is never read
   * (the engine's usual case) costs nothing, and the original keeps editing its own CST.
   */
  copy(): DocumentState {
    return new DocumentState(
      { text: this.text(), ...(this.#js ? { js: this.#js } : {}) },
      this.#prelude,
      this.#limits,
      this.origin,
    );
  }

  // Parses the text into a fresh CST and Document (the text is the CST's own after an edit).
  #parse(): void {
    const { token, document } = composeSingle(this.#prelude + this.text(), this.#limits, this.origin);
    this.#token = token;
    this.#document = document;
    this.#commentsStale = false;
    this.#commented = undefined;
  }
}

/** Parses the text of one document (with its directive prelude) into its CST token and Document. */
export function composeSingle(
  text: string,
  limits: ParseLimits,
  origin: DocumentOrigin,
): { token: CST.Document; document: Document.Parsed } {
  const { tokens, lineCounter } = lexYaml(text);
  const documentTokens = tokens.filter((t): t is CST.Document => t.type === "document");
  const token = documentTokens[documentTokens.length - 1];
  const locator = new SourceLocator(lineCounter, [0], origin.line - 1, origin.documentIndex);
  if (!token || documentTokens.length !== 1) {
    throw new ConfigError(
      ConfigErrorCode.Syntax,
      `document ${origin.documentIndex} no longer parses as one YAML document after an edit`,
      { documentIndex: origin.documentIndex, line: origin.line },
    );
  }
  const nesting = inspectNesting(token, limits.maxDepth);
  if (nesting.tooDeepAt !== undefined) throw tooDeepError(locator, nesting.tooDeepAt, limits.maxDepth);
  const composer = new Composer(composeOptions);
  const document = Array.from(composer.compose(tokens))[0];
  const error = document?.errors[0] ?? composer.streamInfo().errors[0];
  if (error) throw configErrorFromYaml(error, text, locator);
  if (!document) {
    throw new ConfigError(ConfigErrorCode.Syntax, `document ${origin.documentIndex} is empty after an edit`, {
      documentIndex: origin.documentIndex,
    });
  }
  return { token, document };
}

export function tooDeepError(locator: SourceLocator, offset: number, maxDepth: number): ConfigError {
  const position = locator.locate(offset);
  return new ConfigError(
    ConfigErrorCode.TooDeep,
    `collections nested deeper than ${maxDepth} levels at line ${position.line}, column ${position.column} (document ${position.documentIndex})`,
    position,
  );
}

/**
 * Checks a document that uses aliases: every alias must name an earlier anchor, and expanding the
 * aliases must stay within the alias budget (no "billion laughs").
 */
export function checkAliases(state: DocumentState, locator: SourceLocator): void {
  const document = state.document();
  // One walk in document order, the order Alias.resolve searches (the last anchor of that name
  // before the alias). resolve() itself walks the whole document for every alias: 16,000 aliases in
  // 80 KB took minutes.
  // An alias inside the collection its anchor names would make a value that contains itself, which
  // no JSON (where_data's copy, the Mutations, a function's view) can hold: refused here.
  const anchors = new Map<string, Node>();
  visit(document, {
    Node(_key, node, path) {
      if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
      if (!isAlias(node)) return;
      const position = locator.locate(node.range?.[0] ?? 0);
      const where = `at line ${position.line}, column ${position.column} (document ${position.documentIndex})`;
      const anchored = anchors.get(node.source);
      if (!anchored) {
        throw new ConfigError(
          ConfigErrorCode.Syntax,
          `invalid YAML: alias *${node.source} has no matching anchor &${node.source} before it ${where}`,
          position,
        );
      }
      if (path.includes(anchored)) {
        throw new ConfigError(
          ConfigErrorCode.Syntax,
          `invalid YAML: alias *${node.source} names the collection it is inside (&${node.source}), so the ` +
            `value would contain itself ${where}`,
          position,
        );
      }
    },
  });
  state.toJS();
}

function aliasError(error: unknown, origin: DocumentOrigin): ConfigError {
  if (error instanceof ConfigError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigError(
    ConfigErrorCode.AliasLimit,
    `document ${origin.documentIndex} (line ${origin.line}) expands too many aliases: ${message}`,
    { documentIndex: origin.documentIndex, line: origin.line, cause: error },
  );
}
