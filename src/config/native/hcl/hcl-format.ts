// The OpenTofu/HCL toolchain's NativeFormat: HCL text to its YAML view (one document per top-level
// block) and the edited view back onto the text, changing only what changed.
//
// Top-level attributes (as in a .tfvars file) are not part of the view; they are kept as written.
import { Document } from "yaml";
import { viewYaml } from "../view-yaml.ts";
import type { NativeFormat, NativeView } from "../native-format.ts";
import type { ParseLimits } from "../../parse/limits.ts";
import { HclEditor } from "./hcl-editor.ts";
import { HclEncoder } from "./hcl-encode.ts";
import { hclIdentity } from "./hcl-identity.ts";
import { checkHclLabelDepth, checkHclLimits } from "./hcl-limits.ts";
import { invalidValue, isIdentifier, isPlainObject, renderBlock } from "./hcl-render.ts";
import { parseHclFile, type BlockNode } from "./hcl-syntax.ts";
import {
  blockDocument,
  blockMetadata,
  CATEGORY_FIELD,
  INVALID_CATEGORY,
  keywordOf,
  METADATA_KEY,
  NAME_FIELD,
  SINGLETON_NAME,
  TYPE_FIELD,
  type BodyShape,
  type ViewMap,
} from "./hcl-view.ts";

interface DecodedBlock {
  readonly block: BlockNode;
  readonly value: ViewMap;
  readonly shape: BodyShape;
  readonly metadata: { category: string; type: string; name: string };
}

function yamlOf(value: ViewMap): string {
  // The direct writer is several times faster than a yaml Document; it quotes a multi-line string as
  // JSON, so a block holding one (a heredoc, a multi-line expression) keeps yaml's literal block
  // scalar, which reads better in get-resources.
  if (!hasMultiLineString(value)) return viewYaml(value);
  return new Document(value).toString({ indent: 2, indentSeq: false, lineWidth: 0 });
}

function hasMultiLineString(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\n");
  if (Array.isArray(value)) return value.some(hasMultiLineString);
  if (value instanceof Map) {
    for (const item of value.values()) if (hasMultiLineString(item)) return true;
  }
  return false;
}

function describeBlock(index: number, metadata: { type: string; name: string }): string {
  return `document ${index} (${metadata.type} ${metadata.name})`;
}

/** The metadata of an edited document, checked. */
function metadataOf(document: unknown, index: number): { category: string; type: string; name: string } {
  const where = `document ${index}`;
  if (!isPlainObject(document)) throw invalidValue(where, [], "an HCL block must be a map");
  const metadata = document[METADATA_KEY];
  if (!isPlainObject(metadata)) throw invalidValue(where, [METADATA_KEY], "the block metadata must be a map");
  const read = (key: string): string => {
    const value = metadata[key];
    if (typeof value !== "string") {
      throw invalidValue(where, [METADATA_KEY, key], "must be a string");
    }
    return value;
  };
  for (const key of Object.keys(metadata)) {
    if (key !== CATEGORY_FIELD && key !== TYPE_FIELD && key !== NAME_FIELD) {
      throw invalidValue(
        where,
        [METADATA_KEY, key],
        "is not block metadata (block_category, block_type, block_name)",
      );
    }
  }
  return { category: read(CATEGORY_FIELD), type: read(TYPE_FIELD), name: read(NAME_FIELD) };
}

function sameMetadata(a: DecodedBlock["metadata"], b: DecodedBlock["metadata"]): boolean {
  return a.category === b.category && a.type === b.type && a.name === b.name;
}

class HclView implements NativeView {
  readonly yaml: string;
  readonly #text: string;
  readonly #blocks: readonly DecodedBlock[];

  constructor(text: string, blocks: readonly DecodedBlock[]) {
    this.#text = text;
    this.#blocks = blocks;
    this.yaml = blocks.map((b) => yamlOf(b.value)).join("---\n");
  }

  encode(documents: readonly unknown[]): string {
    const editor = new HclEditor(this.#text);
    const metadata = documents.map((document, i) => metadataOf(document, i));
    // The same number of documents: the n-th is the n-th block (its labels may have been edited).
    // Otherwise documents find their blocks by identity; blocks left over are removed.
    const matched = new Map<number, DecodedBlock>();
    if (documents.length === this.#blocks.length) {
      this.#blocks.forEach((block, i) => matched.set(i, block));
    } else {
      const free = new Set(this.#blocks);
      const claim = (same: (block: DecodedBlock, m: DecodedBlock["metadata"]) => boolean): void =>
        metadata.forEach((m, i) => {
          if (matched.has(i)) return;
          const block = [...free].find((b) => same(b, m));
          if (block) {
            free.delete(block);
            matched.set(i, block);
          }
        });
      claim((b, m) => sameMetadata(b.metadata, m));
      // A renamed document (replicate's copies) keeps a left-over block of its category and type.
      claim((b, m) => b.metadata.category === m.category && b.metadata.type === m.type);
      for (const block of free) editor.remove(block.block);
    }
    // A new document goes after the block of the closest document before it, else at the end.
    const appended: string[] = [];
    let previous: DecodedBlock | undefined;
    documents.forEach((document, i) => {
      const block = matched.get(i);
      if (block) {
        this.#editBlock(editor, block, document as Record<string, unknown>, metadata[i]!, i);
        previous = block;
        return;
      }
      const text = this.#newBlock(editor, document as Record<string, unknown>, metadata[i]!, i);
      if (!previous) appended.push(text);
      else {
        const eol = editor.style.eol;
        const at = editor.afterLine(previous.block.end);
        editor.insert(at, this.#text[at - 1] === "\n" ? `${eol}${text}${eol}` : `${eol}${eol}${text}`);
      }
    });
    if (appended.length > 0) {
      const eol = editor.style.eol;
      const text = this.#text;
      const lead = text === "" ? "" : text.endsWith("\n") ? eol : eol + eol;
      editor.insert(text.length, lead + appended.join(eol + eol) + eol);
    }
    return editor.result();
  }

  #editBlock(
    editor: HclEditor,
    decoded: DecodedBlock,
    document: Record<string, unknown>,
    metadata: DecodedBlock["metadata"],
    index: number,
  ): void {
    const where = describeBlock(index, decoded.metadata);
    const encoder = new HclEncoder(editor, where);
    const { block } = decoded;
    const old = decoded.metadata;
    if (metadata.category !== old.category) {
      throw invalidValue(
        where,
        [METADATA_KEY, CATEGORY_FIELD],
        `the category of a "${block.type}" block is ${old.category}`,
      );
    }
    if (metadata.type !== old.type) {
      if (block.labels.length < 2) {
        throw invalidValue(
          where,
          [METADATA_KEY, TYPE_FIELD],
          `the type of a "${block.type}" block is its keyword`,
        );
      }
      encoder.label(block.labels[0]!, metadata.type);
    }
    if (metadata.name !== old.name) {
      const label = block.labels[block.labels.length === 1 ? 0 : 1];
      if (!label)
        throw invalidValue(where, [METADATA_KEY, NAME_FIELD], `a "${block.type}" block has no name label`);
      encoder.label(label, metadata.name);
    }
    // Labels past the second are nested maps around the body.
    let body: unknown = document;
    let view = decoded.value;
    const path: string[] = [];
    const extra = block.labels.slice(2).map((l) => l.value);
    for (const label of extra) {
      const holder = body as Record<string, unknown>;
      const keys = Object.keys(holder).filter((k) => !(path.length === 0 && k === METADATA_KEY));
      if (keys.length !== 1 || keys[0] !== label) {
        throw invalidValue(where, path, `must hold only "${label}" (the block's label)`);
      }
      body = holder[label];
      view = view.get(label) as ViewMap;
      path.push(label);
      if (!isPlainObject(body)) throw invalidValue(where, path, "a block body must be a map");
    }
    if (extra.length === 0) {
      const { [METADATA_KEY]: _metadata, ...rest } = document;
      body = rest;
      view = new Map([...view].filter(([key]) => key !== METADATA_KEY));
    }
    encoder.body(block, decoded.shape, view, body, path);
  }

  #newBlock(
    editor: HclEditor,
    document: Record<string, unknown>,
    metadata: DecodedBlock["metadata"],
    index: number,
  ): string {
    const where = `document ${index}`;
    const keyword = keywordOf(metadata.category, metadata.type);
    if (keyword === undefined || !isIdentifier(keyword)) {
      throw invalidValue(
        where,
        [METADATA_KEY],
        `no HCL block has category ${metadata.category} and type ${metadata.type}`,
      );
    }
    const labels =
      metadata.category !== INVALID_CATEGORY
        ? [metadata.type, metadata.name]
        : metadata.name === SINGLETON_NAME
          ? []
          : [metadata.name];
    const { [METADATA_KEY]: _metadata, ...body } = document;
    return renderBlock(keyword, labels, body, "", editor.style, where, []);
  }
}

export const hclFormat: NativeFormat = {
  toolchain: "OpenTofu/HCL",
  identity: hclIdentity,
  decode(text: string, limits: ParseLimits): NativeView {
    checkHclLimits(text, limits);
    const file = parseHclFile(text);
    checkHclLabelDepth(text, file.items, limits);
    const blocks = file.items
      .filter((item): item is BlockNode => item.kind === "block")
      .map((block) => ({ block, ...blockDocument(text, block), metadata: blockMetadata(block) }));
    return new HclView(text, blocks);
  },
};
