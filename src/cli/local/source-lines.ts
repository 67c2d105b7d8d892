// Where a failed attribute sits in its file, for SARIF regions and GitHub annotations: the 1-based
// line of the value at the attribute's Path in the resource it names, else the line where that
// resource's document starts. Kubernetes/YAML only (other toolchains' files are not YAML text).
import { isNode, LineCounter, parseAllDocuments, type Document } from "yaml";
import { parseConfig, type ConfigDocument } from "../../config/index.ts";
import type { AttributeValue, ToolchainType } from "../../engine/index.ts";

export type LineOf = (attribute: AttributeValue) => number | undefined;

export function lineFinder(text: string, toolchain: ToolchainType): LineOf | undefined {
  if (toolchain !== "Kubernetes/YAML") return undefined;
  const lineCounter = new LineCounter();
  let yamlDocuments: Document.Parsed[];
  let resources: readonly ConfigDocument[];
  try {
    yamlDocuments = parseAllDocuments(text, { lineCounter }) as Document.Parsed[];
    resources = parseConfig(text).documents;
  } catch {
    return undefined;
  }
  // The YAML documents that hold something, in order: the same ones parseConfig lists.
  const holding = yamlDocuments.filter((d) => isNode(d.contents) && !isEmpty(d));
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;

  return (attribute) => {
    const position = resources.findIndex((resource) => {
      const identity = resource.tryIdentity();
      return identity?.type === attribute.ResourceType && identity.name === attribute.ResourceName;
    });
    const yamlDocument = holding[position];
    if (position < 0 || !yamlDocument || !isNode(yamlDocument.contents)) return undefined;
    const documentLine = lineAt(yamlDocument.contents.range[0]);
    try {
      const [resolved] = resources[position]!.resolve(attribute.Path);
      const node = resolved ? yamlDocument.getIn(resolved.segments, true) : undefined;
      return isNode(node) && node.range ? lineAt(node.range[0]) : documentLine;
    } catch {
      return documentLine;
    }
  };
}

function isEmpty(document: Document.Parsed): boolean {
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}
