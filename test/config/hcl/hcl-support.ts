// Helpers for the HCL toolchain tests: decode with the default limits, read the YAML view as the
// engine would (plain values per document), and write edited values back.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { defaultParseLimits } from "../../../src/config/index.ts";
import { hclFormat } from "../../../src/config/native/hcl/hcl-format.ts";

export type Plain = Record<string, unknown>;

export function viewOf(text: string): Plain[] {
  const { yaml } = hclFormat.decode(text, defaultParseLimits);
  return parseAllDocuments(yaml).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as Plain;
  });
}

/** The text after `edit` changed the view's documents (a deep copy of them). */
export function edited(text: string, edit: (documents: Plain[]) => void): string {
  const view = hclFormat.decode(text, defaultParseLimits);
  const documents = parseAllDocuments(view.yaml).map((d) => d.toJS() as Plain);
  edit(documents);
  return view.encode(documents);
}

const corpusRoot = fileURLToPath(new URL("../../../../shared/corpus/hcl", import.meta.url));

/** Every .tf file of the shared corpus: [relative name, text]. */
export function corpusFiles(): [string, string][] {
  const files: [string, string][] = [];
  for (const repository of readdirSync(corpusRoot).sort()) {
    for (const file of readdirSync(join(corpusRoot, repository)).sort()) {
      if (file.endsWith(".tf"))
        files.push([`${repository}/${file}`, readFileSync(join(corpusRoot, repository, file), "utf8")]);
    }
  }
  return files;
}
