// ConfigDocument.commentedText: a node's YAML with the comments inside it (compute-mutations' Value).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";

const TEXT = [
  "kind: Pod",
  "metadata:",
  "  name: p",
  "  labels: {app: nginx # flow",
  "  }",
  "spec:",
  "  replicas: 10 # ten",
  "  block:",
  "    app: nginx # block",
  "  plain:",
  "    a: 1",
  "",
].join("\n");

describe("ConfigDocument.commentedText", () => {
  const document = parseConfig(TEXT).documents[0]!;

  it("gives a node's YAML with its comments", () => {
    expect(document.commentedText("metadata.labels")).toBe("{\n  app: nginx # flow\n}\n");
    expect(document.commentedText("spec.block")).toBe("app: nginx # block\n");
    expect(document.commentedText("spec.replicas")).toBe("10 # ten\n");
  });

  it("is undefined for a node without comments and for a missing path", () => {
    expect(document.commentedText("spec.plain")).toBeUndefined();
    expect(document.commentedText("spec.missing")).toBeUndefined();
  });
});
